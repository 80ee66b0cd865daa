"""The daily overdue scan and the weekly digest: once per period, however many workers run.

A run claims its period with a row in `job_run` in the same transaction as its work; a second
worker's claim of the same period fails on the key and does nothing, and a run that fails
rolls its claim back so the next minute's tick tries again.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from inspector import events
from inspector.extensions import db
from inspector.findings.queries import open_counts
from inspector.models import Department, Finding, FindingStatus, JobRun, OverdueNotice
from inspector.periods import period_containing
from inspector.scores.rollup import department_scores


def run_due(moment, config):
    """Run each periodic job whose time has come and whose period has not run yet."""
    local = moment.astimezone(ZoneInfo(config["TIMEZONE"]))
    if local.hour < int(config["DAILY_HOUR"]):
        return
    run_once("overdue", local.date().isoformat(), lambda: overdue_scan(local, config))
    week = period_containing(local.date(), "week")
    run_once("digest", week.key, lambda: weekly_digest(week, local.date(), config))


def run_once(name, period, work):
    """Do `work` and commit it with the claim of (name, period); False if already claimed."""
    try:
        db.session.add(JobRun(name=name, period=period))
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    try:
        work()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another worker claimed it meanwhile
        return False
    return True


def overdue_scan(local, config):
    """Tell the lead of each newly overdue finding; escalate to supervisors ESCALATE_DAYS on."""
    today = local.date()
    escalate_before = local - timedelta(days=float(config["ESCALATE_DAYS"]))
    overdue = db.session.scalars(
        select(Finding)
        .where(Finding.status == FindingStatus.OPEN, Finding.due < today)
        .order_by(Finding.id)
    ).all()
    for finding in overdue:
        due = finding.due.isoformat()
        notices = {
            notice.level: notice
            for notice in db.session.scalars(
                select(OverdueNotice).where(
                    OverdueNotice.finding_id == finding.id, OverdueNotice.due == due
                )
            )
        }
        if 1 not in notices:
            db.session.add(OverdueNotice(finding_id=finding.id, due=due, level=1, at=local))
            events.record(None, "finding.overdue", finding)
        elif 2 not in notices and notices[1].at <= escalate_before:
            db.session.add(OverdueNotice(finding_id=finding.id, due=due, level=2, at=local))
            events.record(None, "finding.escalated", finding)


def weekly_digest(week, today, config):
    """Last week's ranking and each department's open findings, for leads and supervisors."""
    last = week.first - timedelta(days=1)
    previous = period_containing(last, "week")
    sheet = department_scores(previous.first, previous.last, False, config)
    counts = open_counts(today)
    ids = dict(db.session.execute(select(Department.code, Department.id)).all())
    for row in sheet["departments"]:
        open_findings, late = counts.get(ids.get(row["department"]), (0, 0))
        row["open_findings"], row["overdue_findings"] = open_findings, late
    digest = Digest(previous.key)
    events.record(None, "digest.weekly", digest, period=previous.key, **sheet)


class Digest:
    """The record a weekly digest is about: the week it sums up."""

    def __init__(self, key):
        self.uuid = key

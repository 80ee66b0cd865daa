"""The daily overdue scan (lead first, supervisors ESCALATE_DAYS later) and the weekly digest:
once per period, however many workers run them at once."""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from inspector import create_app
from inspector.extensions import db
from inspector.models import Channel, Delivery, Event, Finding, JobRun, Notification, Role
from inspector.notifications import jobs, periodic
from inspector.queue import job_context
from tests import factories
from tests.conftest import TEST_CONFIG

DUE = date(2026, 11, 20)


def at(day, hour=9):
    """A moment on `day` at `hour` in Shanghai, as UTC."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=8)


def run(app, moment):
    with job_context(app):
        periodic.run_due(moment, app.config)
    with job_context(app):
        jobs.dispatch()


def inbox(user, leave_out="digest.weekly"):
    db.session.commit()
    return db.session.scalars(
        select(Notification.name)
        .where(Notification.user_id == user.id, Notification.name != leave_out)
        .order_by(Notification.id)
    ).all()


@pytest.fixture
def overdue(app):
    finance = factories.new_department(code="finance", name="财务科")
    lead = factories.new_user(Role.LEAD, department=finance)
    supervisor = factories.new_user(Role.SUPERVISOR)
    site = factories.new_site(department=finance)
    finding = Finding(uuid="0e0e0e0e-0000-4000-8000-000000000001", site=site,
                      department_id=finance.id, title="楼道堆放杂物", due=DUE,
                      created_by_id=supervisor.id)  # fmt: skip
    db.session.add(finding)
    db.session.commit()
    return lead, supervisor, finding


def test_an_overdue_finding_goes_to_its_lead_then_to_supervisors(app, overdue):
    lead, supervisor, _finding = overdue
    run(app, at(DUE + timedelta(days=1), hour=7))  # before DAILY_HOUR: nothing yet
    assert inbox(lead) == []
    app.config["DAILY_HOUR"] = 8
    run(app, at(DUE + timedelta(days=1)))
    run(app, at(DUE + timedelta(days=1), hour=15))  # the same day again: once a day
    assert inbox(lead) == ["finding.overdue"] and inbox(supervisor) == []
    run(app, at(DUE + timedelta(days=3)))  # not yet ESCALATE_DAYS (3) after the notice
    assert inbox(supervisor) == []
    run(app, at(DUE + timedelta(days=4)))
    assert inbox(supervisor) == ["finding.escalated"] and inbox(lead) == ["finding.overdue"]
    names = db.session.scalars(
        select(Event.name).where(Event.name != "digest.weekly").order_by(Event.id)
    ).all()
    assert names == ["finding.overdue", "finding.escalated"]


def test_a_periodic_job_runs_once_per_period_however_many_workers_run_it(app, overdue):
    lead = overdue[0]
    # Two workers, each with its own app and connections, at the same moment.
    apps = [create_app({**TEST_CONFIG, **{k: app.config[k] for k in (
        "DATABASE_URL", "QUEUE_NAME", "QUEUE_URL", "TIMEZONE")}, "DAILY_HOUR": 8})
        for _ in range(2)]  # fmt: skip
    start, errors = threading.Barrier(2), []

    def work(other):
        try:
            start.wait(10)
            with job_context(other):
                periodic.run_due(at(DUE + timedelta(days=1)), other.config)
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(error)

    threads = [threading.Thread(target=work, args=(other,)) for other in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    for other in apps:
        with other.app_context():
            db.engine.dispose()
    assert errors == []
    db.session.commit()
    runs = db.session.execute(select(JobRun.name, func.count()).group_by(JobRun.name)).all()
    assert sorted(runs) == [("digest", 1), ("overdue", 1)]
    assert db.session.scalar(select(func.count()).select_from(Event).where(
        Event.name == "finding.overdue")) == 1  # fmt: skip
    run(app, at(DUE + timedelta(days=1)))
    assert inbox(lead) == ["finding.overdue"]


def test_the_weekly_digest_tells_each_lead_of_their_department(app):
    finance = factories.new_department(code="finance", name="财务科")
    other = factories.new_department(code="other", name="办公室")
    site = factories.new_site(department=finance)
    factories.new_inspection(site, 92.5, at(date(2026, 11, 18)), status="approved")
    lead = factories.new_user(Role.LEAD, department=finance)
    supervisor = factories.new_user(Role.SUPERVISOR)
    db.session.add(Channel(kind="wecom", target="http://127.0.0.1:9/x", events=["digest.weekly"],
                           department_id=other.id))  # fmt: skip
    db.session.commit()
    app.config["DAILY_HOUR"] = 8
    run(app, at(date(2026, 11, 23)))  # Monday: last week's summary
    [event] = db.session.scalars(select(Event).where(Event.name == "digest.weekly")).all()
    assert event.data["period"] == "2026-W47"
    [row] = [r for r in event.data["departments"] if r["department"] == "finance"]
    assert row["percent"] == 92.5 and row["open_findings"] == 0
    assert inbox(lead, None) == ["digest.weekly"] and inbox(supervisor, None) == ["digest.weekly"]
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        from inspector.notifications.inbox import latest

        [(_note, message)] = latest(db.session.get(type(lead), lead.id))
    assert message.title == "每周汇总 2026年第47周 (11月16日–11月22日)"
    assert any("财务科" in line and "92.5%" in line for line in message.lines)
    # The other department's group gets its own department's line, not finance's.
    text = db.session.scalar(select(Delivery.payload).where(Delivery.name == "digest.weekly"))
    assert "办公室" in text and "财务科" not in text

"""Closing a score period freezes its numbers; only an admin may reopen it (audited)."""

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from inspector import audit, events
from inspector.appeals.queries import pending_in
from inspector.errors import ConflictError, PeriodClosedError, ValidationError
from inspector.extensions import db
from inspector.models import ClosedPeriod, Inspection, InspectionStatus
from inspector.periods import day_bounds
from inspector.scores import kept
from inspector.scores.cache import CLOSES, memoize
from inspector.scores.rollup import department_scores


def score_sheet(first, last, final, settings):
    """The score sheet for first..last: the frozen one if closed, else computed now.

    Cached until the data changes (inspector.scores.cache): do not modify the answer.
    """
    return memoize(
        ("score_sheet", first, last, final),
        lambda: compute_score_sheet(first, last, final, settings),
    )


def compute_score_sheet(first, last, final, settings):
    snapshot = closed_snapshot(first, last)
    if snapshot is not None:
        return {**snapshot["final" if final else "provisional"], "closed": True}
    return {**department_scores(first, last, final, settings), "closed": False}


def closed_snapshot(first, last):
    """The frozen sheets of the close in force for first..last, or None: kept per server until
    the change log names a close (inspector.scores.kept). Shared: do not modify."""

    def read():
        closed = ClosedPeriod.in_force(first, last)
        return None if closed is None else closed.snapshot

    return kept.unless_changed(("closed_snapshot", first, last), read, CLOSES)


def close_period(actor, period, settings, today, early=False):
    """Freeze the provisional and final sheets of `period`.

    A period that has not ended yet (it holds `today` or later days) closes only with `early`:
    inspections of its remaining days would then count in no sheet until it is reopened.
    """
    if ClosedPeriod.in_force(period.first, period.last) is not None:
        raise PeriodClosedError(_l("This period is already closed."))
    if period.last >= today and not early:
        raise ValidationError(
            {"early": _l("This period has not ended yet: confirm that it should close early.")},
            code="period_not_ended",
        )
    pending = pending_in(period.first, period.last, settings["TIMEZONE"])
    if pending:
        # Its numbers are provisional until every appeal is decided or withdrawn.
        raise ConflictError(
            _l("Appeals pending in this period: %(n)d. Decide them first.", n=len(pending)),
            {"appeals": ", ".join(appeal.uuid for appeal in pending)},
            code="appeals_pending",
        )
    snapshot = {
        "provisional": department_scores(period.first, period.last, False, settings),
        "final": department_scores(period.first, period.last, True, settings),
    }
    closed = ClosedPeriod(
        kind=period.kind,
        first=period.first,
        last=period.last,
        closed_by_id=actor.id,
        snapshot=snapshot,
    )
    try:
        with db.session.begin_nested():  # another close of the span at this moment: one wins
            db.session.add(closed)
    except IntegrityError:
        raise PeriodClosedError(_l("This period is already closed.")) from None
    audit.record(actor, "period.close", closed, period=period.key)
    events.record(actor, "period.closed", closed, period=period.key)
    return closed


def closing_summary(period, zone):
    """What is unfinished in `period`: submitted awaiting review, returned, drafts started."""
    start, end = day_bounds(period.first, period.last, zone)
    submitted_in = (Inspection.submitted_at >= start, Inspection.submitted_at < end)
    counts = db.session.execute(
        select(
            func.count().filter(Inspection.status == InspectionStatus.SUBMITTED, *submitted_in),
            func.count().filter(Inspection.status == InspectionStatus.RETURNED, *submitted_in),
            func.count().filter(
                Inspection.status == InspectionStatus.DRAFT,
                Inspection.started_at >= start,
                Inspection.started_at < end,
            ),
        )
    ).one()
    return dict(zip(("pending", "returned", "drafts"), counts, strict=True))


def reopen_period(actor, closed):
    """Let the period's numbers change again (admins only; the caller checks the role)."""
    closed.reopened_at = datetime.now(UTC)
    closed.reopened_by_id = actor.id
    audit.record(actor, "period.reopen", closed, first=str(closed.first), last=str(closed.last))
    return closed

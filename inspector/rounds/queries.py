"""An inspector's assignments for the field app's work list."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from inspector.extensions import db
from inspector.models import Assignment, Round, Site
from inspector.periods import day_bounds
from inspector.rounds.serialize import assignments_json

WINDOW_DAYS = 14  # rounds that ended or start within this many days of today
MAX_ASSIGNMENTS = 200


def my_assignments(user, today, settings) -> list:
    """The user's assignments of current rounds (and those just ended or soon to start),
    the earliest deadline first, each with its checklist's code and name."""
    stmt = (
        select(Assignment)
        .join(Round, Round.id == Assignment.round_id)
        .join(Site, Site.id == Assignment.site_id)
        .where(
            Assignment.inspector_id == user.id,
            Round.ends_on >= today - timedelta(days=WINDOW_DAYS),
            Round.starts_on <= today + timedelta(days=WINDOW_DAYS),
        )
        .order_by(Round.ends_on, Site.code, Assignment.id)
        .limit(MAX_ASSIGNMENTS)
        .options(
            joinedload(Assignment.round).joinedload(Round.checklist),
            joinedload(Assignment.site).joinedload(Site.department),  # named by every row
        )
    )
    assignments = db.session.scalars(stmt).unique().all()
    rows = assignments_json(assignments, settings, today)
    for row, assignment in zip(rows, assignments, strict=True):
        row["template_code"] = assignment.round.checklist.code
        row["template_name"] = assignment.round.checklist.name
        row["started"] = assignment.round.starts_on <= today
        # The round's days in the deployment's time zone, as instants: the phone compares an
        # inspection's submitted_at with them, whatever time zone the phone is set to.
        start, end = day_bounds(assignment.round.starts_on, assignment.round.ends_on,
                                settings["TIMEZONE"])  # fmt: skip
        row["window"] = [start.isoformat(), end.isoformat()]
    return rows

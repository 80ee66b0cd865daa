"""Coverage of weekly rounds: which sites are done, due or overdue this week."""

from sqlalchemy import func, select

from inspector.extensions import db
from inspector.models import Inspection, InspectionStatus, Site
from inspector.periods import day_bounds


def visits(week, zone):
    """Inspections submitted per site during `week` (any status but draft)."""
    start, end = day_bounds(week.first, week.last, zone)
    stmt = (
        select(Inspection.site_id, func.count())
        .where(
            Inspection.submitted_at >= start,
            Inspection.submitted_at < end,
            Inspection.status != InspectionStatus.DRAFT,
        )
        .group_by(Inspection.site_id)
    )
    return dict(db.session.execute(stmt).all())


def weekly_coverage(week, settings):
    """Each active site that expects rounds, with done/expected and its state.

    "done" when this week's rounds are complete; "overdue" when they are not and last
    week's were missed too; otherwise "due".
    """
    zone = settings["TIMEZONE"]
    this_week, last_week = visits(week, zone), visits(week.previous(), zone)
    sites = db.session.scalars(
        select(Site).where(Site.active, Site.expected_per_week > 0).order_by(Site.code)
    ).all()
    rows = []
    for site in sites:
        done = this_week.get(site.id, 0)
        if done >= site.expected_per_week:
            state = "done"
        elif last_week.get(site.id, 0) < site.expected_per_week:
            state = "overdue"
        else:
            state = "due"
        rows.append(
            {"site": site, "done": done, "expected": site.expected_per_week, "state": state}
        )
    order = {"overdue": 0, "due": 1, "done": 2}
    rows.sort(key=lambda row: (order[row["state"]], row["site"].code))
    return rows

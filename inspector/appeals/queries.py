"""Read-only questions about appeals: what is pending, where, and in which period."""

from sqlalchemy import func, select

from inspector.extensions import db
from inspector.models import Appeal, AppealStatus, Inspection
from inspector.periods import day_bounds


def pending_in(first, last, zone):
    """Pending appeals on inspections submitted on local days first..last, oldest first."""
    start, end = day_bounds(first, last, zone)
    return db.session.scalars(
        select(Appeal)
        .join(Inspection, Inspection.id == Appeal.inspection_id)
        .where(
            Appeal.status == AppealStatus.PENDING,
            Inspection.submitted_at >= start,
            Inspection.submitted_at < end,
        )
        .order_by(Appeal.created_at, Appeal.id)
    ).all()


def pending_by_department(first, last, zone):
    """{department id: pending appeals} for inspections submitted in first..last."""
    start, end = day_bounds(first, last, zone)
    rows = db.session.execute(
        select(Appeal.department_id, func.count())
        .join(Inspection, Inspection.id == Appeal.inspection_id)
        .where(
            Appeal.status == AppealStatus.PENDING,
            Inspection.submitted_at >= start,
            Inspection.submitted_at < end,
        )
        .group_by(Appeal.department_id)
    )
    return dict(rows.all())


def pending_count(stmt):
    """How many of the appeals `stmt` selects are pending."""
    narrowed = stmt.where(Appeal.status == AppealStatus.PENDING).subquery()
    return db.session.scalar(select(func.count()).select_from(narrowed))


def appeal_groups(stmt):
    """The appeals `stmt` selects in groups: pending (oldest first), then the latest others."""
    pending = stmt.where(Appeal.status == AppealStatus.PENDING).order_by(Appeal.created_at)
    others = stmt.where(Appeal.status != AppealStatus.PENDING).order_by(Appeal.id.desc())
    return [
        ("pending", db.session.scalars(pending.limit(200)).all()),
        ("decided", db.session.scalars(others.limit(50)).all()),
    ]


def appeals_of(inspection):
    """The inspection's appeals by item id."""
    rows = db.session.scalars(select(Appeal).where(Appeal.inspection_id == inspection.id))
    return {appeal.item_id: appeal for appeal in rows}

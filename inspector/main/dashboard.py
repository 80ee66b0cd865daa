"""What each role should do next: the figures behind the home page."""

from datetime import date

from sqlalchemy import func, select

from inspector.extensions import db
from inspector.models import (
    Appeal,
    AppealStatus,
    Checklist,
    ChecklistStatus,
    Department,
    Finding,
    FindingStatus,
    Inspection,
    InspectionStatus,
    Role,
    Site,
    User,
)


def count(stmt):
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def open_findings(department_id=None):
    stmt = select(Finding.id).where(Finding.status != FindingStatus.CLOSED)
    if department_id is not None:
        stmt = stmt.where(Finding.department_id == department_id)
    return stmt


def home_summary(user, today: date):
    """Return the counts the web home page shows an administrator or a supervisor."""
    if user.role == Role.ADMIN:
        return {
            "users": count(select(User.id).where(User.active)),
            "departments": count(select(Department.id).where(Department.active)),
            "sites": count(select(Site.id).where(Site.active)),
            # In use: what inspectors are offered, not drafts being tried or retired ones.
            "checklists": count(
                select(Checklist.id).where(
                    Checklist.is_current, Checklist.status == ChecklistStatus.PUBLISHED
                )
            ),
        }
    if user.role == Role.SUPERVISOR:
        return {
            "to_review": count(
                select(Inspection.id).where(Inspection.status == InspectionStatus.SUBMITTED)
            ),
            "open_findings": count(open_findings()),
            "appeals": count(select(Appeal.id).where(Appeal.status == AppealStatus.PENDING)),
        }
    # Inspectors and leads: their home is the field app's work list (main/views.py).
    return {}

"""What each role should do next: the figures behind the home page."""

from datetime import date

from sqlalchemy import func, select

from inspector.extensions import db
from inspector.models import (
    Checklist,
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
    """Return the counts the home page shows `user`."""
    if user.role == Role.ADMIN:
        return {
            "users": count(select(User.id).where(User.active)),
            "departments": count(select(Department.id).where(Department.active)),
            "sites": count(select(Site.id).where(Site.active)),
            "checklists": count(select(Checklist.id).where(Checklist.is_current)),
        }
    if user.role == Role.SUPERVISOR:
        return {
            "to_review": count(
                select(Inspection.id).where(Inspection.status == InspectionStatus.SUBMITTED)
            ),
            "open_findings": count(open_findings()),
        }
    if user.role == Role.INSPECTOR:
        mine = select(Inspection.id).where(Inspection.inspector_id == user.id)
        return {
            "drafts": count(mine.where(Inspection.status == InspectionStatus.DRAFT)),
            "returned": count(mine.where(Inspection.status == InspectionStatus.RETURNED)),
            "sites": count(select(Site.id).where(Site.active)),
        }
    overdue = open_findings(user.department_id).where(
        Finding.status == FindingStatus.OPEN, Finding.due < today
    )
    return {
        "open_findings": count(open_findings(user.department_id)),
        "overdue_findings": count(overdue),
        "sites": count(select(Site.id).where(Site.department_id == user.department_id)),
    }

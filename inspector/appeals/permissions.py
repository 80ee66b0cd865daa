"""Who may file, see, withdraw and decide which appeals: one place for the views and the API."""

from flask import abort
from sqlalchemy import select

from inspector.extensions import db
from inspector.models import Appeal, Inspection, Role

# Who rules on appeals.
JUDGES = (Role.SUPERVISOR, Role.ADMIN)


def may_file(user) -> bool:
    """Department leads appeal, for their own department."""
    return user.role == Role.LEAD and user.department_id is not None


def may_decide(user) -> bool:
    return user.role in JUDGES


def can_read(user, appeal) -> bool:
    """Reviewers all; a lead their department's; an inspector those on their inspections."""
    if user.role in JUDGES:
        return True
    if user.role == Role.LEAD:
        return appeal.department_id == user.department_id
    return appeal.inspection.inspector_id == user.id


def visible_appeals(user, stmt=None):
    """Narrow a query of appeals to those `user` may read."""
    stmt = select(Appeal) if stmt is None else stmt
    if user.role == Role.LEAD:
        return stmt.where(Appeal.department_id == user.department_id)
    if user.role not in JUDGES:
        mine = select(Inspection.id).where(Inspection.inspector_id == user.id)
        return stmt.where(Appeal.inspection_id.in_(mine))
    return stmt


def get_appeal_or_404(uuid, user):
    """Load an appeal `user` may read; 404 when missing or not theirs to see."""
    appeal = db.session.scalar(select(Appeal).where(Appeal.uuid == uuid))
    if appeal is None or not can_read(user, appeal):
        abort(404)
    return appeal

"""Who may see and change which inspections: one place for every view and the API."""

from flask import abort
from sqlalchemy import select

from inspector.extensions import db
from inspector.models import Inspection, Role

# Who makes inspections: inspectors, and admins (who may stand in for one).
AUTHORS = (Role.INSPECTOR, Role.ADMIN)


def may_author(user) -> bool:
    return user.role in AUTHORS


def can_read(user, inspection) -> bool:
    if user.role in (Role.ADMIN, Role.SUPERVISOR):
        return True
    if user.role == Role.INSPECTOR:
        return inspection.inspector_id == user.id
    return inspection.department_id == user.department_id


def visible_to(user, stmt=None):
    """Narrow a query of inspections to those `user` may read."""
    stmt = select(Inspection) if stmt is None else stmt
    if user.role == Role.INSPECTOR:
        return stmt.where(Inspection.inspector_id == user.id)
    if user.role == Role.LEAD:
        return stmt.where(Inspection.department_id == user.department_id)
    return stmt


def get_inspection_or_404(uuid, user, for_edit=False):
    """Load an inspection `user` may read (404 otherwise); with for_edit, only its author."""
    inspection = db.session.scalar(select(Inspection).where(Inspection.uuid == uuid))
    if inspection is None or not can_read(user, inspection):
        abort(404)
    if for_edit and inspection.inspector_id != user.id:
        abort(403)
    return inspection

"""Who may see, fix and verify which findings: one place for the views and the API."""

from flask import abort
from sqlalchemy import select

from inspector.extensions import db
from inspector.models import Finding, Role

CREATORS = (Role.ADMIN, Role.SUPERVISOR, Role.INSPECTOR)


def can_read(user, finding) -> bool:
    if user.role == Role.LEAD:
        return finding.department_id == user.department_id
    return True  # admins, supervisors and inspectors work on every department's findings


def can_fix(user, finding) -> bool:
    return can_read(user, finding)  # the lead of its department, inspectors, reviewers


def can_verify(user, finding) -> bool:
    """Reviewers, or an inspector other than the one who fixed it."""
    if user.role in (Role.ADMIN, Role.SUPERVISOR):
        return True
    return user.role == Role.INSPECTOR and finding.fixed_by_id != user.id


def visible_findings(user, stmt=None):
    stmt = select(Finding) if stmt is None else stmt
    if user.role == Role.LEAD:
        return stmt.where(Finding.department_id == user.department_id)
    return stmt


def get_finding_or_404(uuid, user):
    finding = db.session.scalar(select(Finding).where(Finding.uuid == uuid))
    if finding is None or not can_read(user, finding):
        abort(404)
    return finding

"""Who sees which rounds and assignments.

Planners (supervisors, admins) see everything. An inspector sees their own assignments and
the rounds that hold them. A department lead sees their department's sites in a round, but
not before a hidden (unannounced) round has ended.
"""

from flask import abort
from sqlalchemy import or_, select

from inspector.clock import local_now
from inspector.extensions import db
from inspector.models import Assignment, Role, Round, Site

PLANNERS = (Role.ADMIN, Role.SUPERVISOR)


def may_plan(user) -> bool:
    return user.role in PLANNERS


def visible_assignments(user, stmt=None):
    """Narrow a query of assignments to those `user` may see."""
    stmt = select(Assignment) if stmt is None else stmt
    if user.role in PLANNERS:
        return stmt
    if user.role == Role.LEAD:
        today = local_now().date()
        return (
            stmt.join(Site, Site.id == Assignment.site_id)
            .join(Round, Round.id == Assignment.round_id)
            .where(
                Site.department_id == user.department_id,
                or_(Round.hidden.is_(False), Round.ends_on < today),
            )
        )
    return stmt.where(Assignment.inspector_id == user.id)


def can_see_assignment(user, assignment) -> bool:
    if user.role in PLANNERS:
        return True
    if user.role == Role.LEAD:
        round_ = assignment.round
        shown = not round_.hidden or round_.ends_on < local_now().date()
        return shown and assignment.site.department_id == user.department_id
    return assignment.inspector_id == user.id


def round_assignments(user, round_):
    """The assignments of `round_` that `user` may see."""
    return [a for a in round_.assignments if can_see_assignment(user, a)]


def get_round_or_404(uuid, user):
    round_ = db.session.scalar(select(Round).where(Round.uuid == uuid))
    if round_ is None or not (may_plan(user) or round_assignments(user, round_)):
        abort(404)
    return round_


def get_assignment_or_404(uuid, user):
    assignment = db.session.scalar(select(Assignment).where(Assignment.uuid == uuid))
    if assignment is None or not can_see_assignment(user, assignment):
        abort(404)
    return assignment

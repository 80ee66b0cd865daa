"""API endpoints for rounds and assignments: plan, read, list, close as unable or refused,
reassign."""

from flask import abort, current_app, g, request
from sqlalchemy import select

from inspector.api import bp
from inspector.api.auth import roles
from inspector.api.inspections import canonical_uuid
from inspector.api.schemas import OUTCOME_IN, REASSIGN_IN, ROUND_IN
from inspector.api.validation import json_body
from inspector.clock import local_now
from inspector.extensions import db
from inspector.inputs import int_arg
from inspector.limits import MAX_ID
from inspector.models import Assignment, Role, Round, User
from inspector.rounds.permissions import (
    PLANNERS,
    get_assignment_or_404,
    get_round_or_404,
    round_assignments,
    visible_assignments,
)
from inspector.rounds.serialize import assignment_json, assignments_json, round_json
from inspector.rounds.services import create_round, reassign, record_outcome
from inspector.rounds.status import STATUSES, statuses
from inspector.urls import public_url

DEFAULT_LIMIT, MAX_LIMIT = 100, 1000


def today():
    return local_now().date()


@bp.post("/rounds")
@roles(*PLANNERS)
def post_round():
    """Plan a round: listed or sampled sites, balanced across inspectors with 回避."""
    body = json_body(ROUND_IN)
    uuid = canonical_uuid(body["id"]) if body.get("id") else None
    round_, created = create_round(g.api_user, body, uuid=uuid)
    db.session.commit()
    answer = round_json(round_, round_.assignments, current_app.config, today())
    return answer, 201 if created else 200


@bp.get("/rounds")
def list_rounds():
    """List the rounds the caller may see, newest first by id within the page."""
    limit = int_arg("limit", DEFAULT_LIMIT, low=1, high=MAX_LIMIT)
    after = int_arg("after", 0, low=0, high=MAX_ID)
    stmt = select(Round).where(Round.id > after).order_by(Round.id)
    if g.api_user.role not in PLANNERS:
        seen = visible_assignments(g.api_user, select(Assignment.round_id))
        stmt = stmt.where(Round.id.in_(seen))
    rows = db.session.scalars(stmt.limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    items = [
        round_json(r, round_assignments(g.api_user, r), current_app.config, today()) for r in rows
    ]
    return {"items": items, "next": next_link(rows[-1].id, limit) if more else None}


@bp.get("/rounds/<uuid>")
def get_round(uuid):
    """One round, with the assignments the caller may see."""
    round_ = get_round_or_404(canonical_uuid(uuid), g.api_user)
    return round_json(round_, round_assignments(g.api_user, round_), current_app.config, today())


@bp.get("/assignments")
def list_assignments():
    """Assignments by inspector (me or a username) and status; an inspector sees their own."""
    limit = int_arg("limit", DEFAULT_LIMIT, low=1, high=MAX_LIMIT)
    after = int_arg("after", 0, low=0, high=MAX_ID)
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        abort(400, "'status' must be open, done, unable or refused.")
    stmt = visible_assignments(g.api_user)
    who = request.args.get("inspector")
    if who:
        if who == "me":
            user_id = g.api_user.id
        else:
            user_id = db.session.scalar(select(User.id).where(User.username == who)) or 0
        stmt = stmt.where(Assignment.inspector_id == user_id)
    if status in ("unable", "refused"):
        stmt = stmt.where(Assignment.outcome == status)
    stmt = stmt.where(Assignment.id > after).order_by(Assignment.id)
    found, cursor = [], after
    # done and open are worked out from inspections: read in batches until the page is full.
    while len(found) <= limit:
        batch = db.session.scalars(stmt.where(Assignment.id > cursor).limit(limit + 1)).all()
        if not batch:
            break
        cursor = batch[-1].id
        states = statuses(batch, current_app.config)
        found += [(a, states[a.id]) for a in batch if status is None or states[a.id][0] == status]
    more = len(found) > limit
    found = found[:limit]
    items = [assignment_json(a, state, today()) for a, state in found]
    return {"items": items, "next": next_link(found[-1][0].id, limit) if more else None}


def next_link(last_id, limit):
    args = {**request.args.to_dict(), "after": last_id, "limit": limit}
    return public_url(request.endpoint, **(request.view_args or {}), **args)


@bp.get("/assignments/<uuid>")
def get_assignment(uuid):
    """One assignment."""
    assignment = get_assignment_or_404(canonical_uuid(uuid), g.api_user)
    return assignments_json([assignment], current_app.config, today())[0]


@bp.post("/assignments/<uuid>/outcome")
def post_outcome(uuid):
    """Close one's assignment as unable (无法检查) or refused (拒检), with a reason and photos."""
    assignment = get_assignment_or_404(canonical_uuid(uuid), g.api_user)
    if assignment.inspector_id != g.api_user.id:
        abort(403, "Only the assigned inspector may close this assignment.")
    body = json_body(OUTCOME_IN)
    record_outcome(
        g.api_user, assignment, body["status"], body["reason"], body["photos"], current_app.config
    )
    db.session.commit()
    return assignments_json([assignment], current_app.config, today())[0]


@bp.post("/assignments/<uuid>/reassign")
@roles(Role.SUPERVISOR, Role.ADMIN)
def post_reassign(uuid):
    """Give an open assignment to another inspector (audited; 回避 still holds)."""
    assignment = get_assignment_or_404(canonical_uuid(uuid), g.api_user)
    body = json_body(REASSIGN_IN)
    reassign(g.api_user, assignment, body["inspector"], current_app.config)
    db.session.commit()
    return assignments_json([assignment], current_app.config, today())[0]

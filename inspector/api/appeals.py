"""API endpoints for appeals (申诉): file (idempotent PUT), withdraw, decide, read, list."""

from flask import abort, current_app, g, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from inspector.api import bp
from inspector.api.inspections import canonical_uuid
from inspector.api.pagination import page
from inspector.api.schemas import APPEAL_IN, DECISION_IN
from inspector.api.validation import json_body
from inspector.appeals.permissions import get_appeal_or_404, may_decide, may_file, visible_appeals
from inspector.appeals.serialize import appeal_json
from inspector.appeals.services import decide_appeal, file_appeal, withdraw_appeal
from inspector.extensions import db
from inspector.models import Appeal, AppealStatus, Department, Inspection


@bp.put("/appeals/<uuid>")
def put_appeal(uuid):
    """Appeal a deduction of an inspection of your department; repeating it is safe."""
    uuid = canonical_uuid(uuid)
    if not may_file(g.api_user):
        abort(403, "Only a department's lead may appeal its deductions.")
    stored = db.session.scalar(select(Appeal.id).where(Appeal.uuid == uuid))
    if stored is not None and get_appeal_or_404(uuid, g.api_user).author_id != g.api_user.id:
        abort(403, "Only its author may send an appeal again.")
    body = json_body(APPEAL_IN)
    body["inspection"] = canonical_uuid(body["inspection"])
    for attempt in range(2):
        try:
            appeal, created = file_appeal(g.api_user, uuid, body, current_app.config)
            db.session.commit()
            return appeal_json(appeal), 201 if created else 200
        except IntegrityError:
            # A concurrent request filed it first: answer as a retry (or a conflict) now.
            db.session.rollback()
            if attempt:
                raise
    raise AssertionError("unreachable")


@bp.get("/appeals/<uuid>")
def get_appeal(uuid):
    """Show one appeal the caller may see."""
    return appeal_json(get_appeal_or_404(canonical_uuid(uuid), g.api_user))


@bp.post("/appeals/<uuid>/withdraw")
def withdraw(uuid):
    """Withdraw your pending appeal."""
    appeal = get_appeal_or_404(canonical_uuid(uuid), g.api_user)
    if appeal.author_id != g.api_user.id:
        abort(403, "Only its author may withdraw an appeal.")
    withdraw_appeal(g.api_user, appeal)
    db.session.commit()
    return appeal_json(appeal)


@bp.post("/appeals/<uuid>/decision")
def decide(uuid):
    """Uphold a deduction, or overturn it with the corrected answer."""
    if not may_decide(g.api_user):
        abort(403, "Only a supervisor or an admin may decide appeals.")
    appeal = get_appeal_or_404(canonical_uuid(uuid), g.api_user)
    body = json_body(DECISION_IN)
    decide_appeal(
        g.api_user,
        appeal,
        body["decision"],
        body.get("answer"),
        body.get("comment", ""),
        current_app.config,
    )
    db.session.commit()
    return appeal_json(appeal)


@bp.get("/appeals")
def list_appeals():
    """List the appeals the caller may see, by status, department and inspection."""
    stmt = visible_appeals(g.api_user)
    status = request.args.get("status")
    if status:
        if status not in set(AppealStatus):
            abort(400, "'status' must be pending, withdrawn, upheld or overturned.")
        stmt = stmt.where(Appeal.status == status)
    if request.args.get("department"):
        stmt = stmt.join(Department, Department.id == Appeal.department_id).where(
            Department.code == request.args["department"]
        )
    if request.args.get("inspection"):
        inspection = select(Inspection.id).where(Inspection.uuid == request.args["inspection"])
        stmt = stmt.where(Appeal.inspection_id.in_(inspection))
    return page(stmt, Appeal.id, appeal_json)

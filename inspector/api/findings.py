"""API endpoints for findings (corrective actions): open, fix, verify, read, list."""

from flask import abort, current_app, g, request
from sqlalchemy import select

from inspector.api import bp
from inspector.api.inspections import canonical_uuid
from inspector.api.pagination import page
from inspector.api.schemas import FINDING_IN, FIX_IN, VERIFY_IN
from inspector.api.validation import json_body
from inspector.clock import local_now
from inspector.extensions import db
from inspector.findings.permissions import (
    CREATORS,
    can_fix,
    can_verify,
    get_finding_or_404,
    visible_findings,
)
from inspector.findings.serialize import finding_json
from inspector.findings.services import fix_finding, save_finding, verify_finding
from inspector.models import Department, Finding, FindingStatus


def today():
    return local_now().date()


@bp.put("/findings/<uuid>")
def put_finding(uuid):
    """Open a finding by hand with before photos; repeating the request is safe."""
    uuid = canonical_uuid(uuid)
    if g.api_user.role not in CREATORS:
        abort(403, "Your role may not open findings.")
    existing = db.session.scalar(select(Finding.id).where(Finding.uuid == uuid))
    if existing is not None:
        get_finding_or_404(uuid, g.api_user)
    body = json_body(FINDING_IN)
    finding, created = save_finding(g.api_user, uuid, body, current_app.config)
    db.session.commit()
    return finding_json(finding, today()), 201 if created else 200


@bp.get("/findings/<uuid>")
def get_finding(uuid):
    """Show one finding the caller may see."""
    return finding_json(get_finding_or_404(canonical_uuid(uuid), g.api_user), today())


@bp.post("/findings/<uuid>/fix")
def fix(uuid):
    """Mark a finding fixed, with after photos."""
    finding = get_finding_or_404(canonical_uuid(uuid), g.api_user)
    if not can_fix(g.api_user, finding):
        abort(403, "You may not fix this finding.")
    body = json_body(FIX_IN)
    fix_finding(g.api_user, finding, body["after_photos"], body.get("note", ""))
    db.session.commit()
    return finding_json(finding, today())


@bp.post("/findings/<uuid>/verify")
def verify(uuid):
    """Accept a fix, or reject it with a reason."""
    finding = get_finding_or_404(canonical_uuid(uuid), g.api_user)
    if not can_verify(g.api_user, finding):
        abort(403, "Only a reviewer, or an inspector other than the fixer, may verify.")
    body = json_body(VERIFY_IN)
    verify_finding(g.api_user, finding, body["decision"], body.get("comment", ""))
    db.session.commit()
    return finding_json(finding, today())


@bp.get("/findings")
def list_findings():
    """List findings the caller may see, by department, status and overdue."""
    stmt = visible_findings(g.api_user)
    if request.args.get("department"):
        stmt = stmt.join(Department, Department.id == Finding.department_id).where(
            Department.code == request.args["department"]
        )
    status = request.args.get("status")
    if status:
        if status not in set(FindingStatus):
            abort(400, "'status' must be open, fixed or closed.")
        stmt = stmt.where(Finding.status == status)
    if request.args.get("overdue") == "true":
        stmt = stmt.where(Finding.status == FindingStatus.OPEN, Finding.due < today())
    return page(stmt, Finding.id, lambda finding: finding_json(finding, today()))

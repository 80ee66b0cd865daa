"""API endpoints for inspections: idempotent PUT, read, list and review."""

import uuid as uuid_module

from flask import abort, current_app, g, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from inspector.api import bp
from inspector.api.auth import roles
from inspector.api.pagination import page
from inspector.api.schemas import INSPECTION_IN, REVIEW_IN
from inspector.api.validation import json_body
from inspector.documents.files import inspection_report_file
from inspector.extensions import db
from inspector.inspections.permissions import get_inspection_or_404, may_author, visible_to
from inspector.inspections.serialize import inspection_json
from inspector.inspections.services import review_inspection, save_inspection
from inspector.models import Department, Inspection, InspectionStatus, Role
from inspector.periods import FIRST_DAY, LAST_DAY, day_bounds, parse_day


def canonical_uuid(text):
    try:
        return str(uuid_module.UUID(text))
    except ValueError:
        abort(404, "No such inspection.")


@bp.put("/inspections/<uuid>")
def put_inspection(uuid):
    """Create, update or submit an inspection; repeating a request is safe."""
    uuid = canonical_uuid(uuid)
    if not may_author(g.api_user):
        abort(403, "Your role may not make inspections.")
    body = json_body(INSPECTION_IN)
    existing = db.session.scalar(select(Inspection).where(Inspection.uuid == uuid))
    if existing is not None:
        get_inspection_or_404(uuid, g.api_user, for_edit=True)
    inspection, created = save_with_retry(uuid, body)
    return inspection_json(inspection), 201 if created else 200


def save_with_retry(uuid, body):
    """Save and commit; if a concurrent identical PUT won the race, answer as a retry."""
    for attempt in range(2):
        try:
            inspection, created = save_inspection(g.api_user, uuid, body, current_app.config)
            db.session.commit()
            return inspection, created
        except IntegrityError:
            db.session.rollback()
            if attempt:
                raise
    raise AssertionError("unreachable")


@bp.get("/inspections/<uuid>")
def get_inspection(uuid):
    """Show one inspection the caller may read."""
    return inspection_json(get_inspection_or_404(canonical_uuid(uuid), g.api_user))


@bp.get("/inspections/<uuid>/report.pdf")
def inspection_report(uuid):
    """One inspection the caller may read as a PDF report."""
    return inspection_report_file(get_inspection_or_404(canonical_uuid(uuid), g.api_user))


@bp.get("/inspections")
def list_inspections():
    """List inspections the caller may read, filtered by date, department and status."""
    # Each inspection's answers in force read its amendments: load them in one query.
    stmt = visible_to(g.api_user).options(selectinload(Inspection.amendments))
    first, last = date_arg("from"), date_arg("to")
    if first or last:
        start, end = day_bounds(first or last, last or first, current_app.config["TIMEZONE"])
        stmt = stmt.where(Inspection.submitted_at >= start, Inspection.submitted_at < end)
    if request.args.get("department"):
        stmt = stmt.join(Department, Department.id == Inspection.department_id).where(
            Department.code == request.args["department"]
        )
    if request.args.get("status"):
        if request.args["status"] not in set(InspectionStatus):
            abort(400, "'status' must be draft, submitted, returned or approved.")
        stmt = stmt.where(Inspection.status == request.args["status"])
    return page(stmt, Inspection.id, inspection_json)


def date_arg(name):
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return parse_day(raw)
    except ValueError:
        abort(400, f"'{name}' must be a date from {FIRST_DAY} to {LAST_DAY}, YYYY-MM-DD.")


@bp.post("/inspections/<uuid>/review")
@roles(Role.SUPERVISOR, Role.ADMIN)
def review(uuid):
    """Approve or return a submitted inspection."""
    inspection = get_inspection_or_404(canonical_uuid(uuid), g.api_user)
    body = json_body(REVIEW_IN)
    review_inspection(
        g.api_user, inspection, body["decision"], body.get("comment", ""), current_app.config
    )
    db.session.commit()
    return inspection_json(inspection)

"""API endpoints for activity records, their kinds, and attached files."""

import uuid as uuid_module

from flask import abort, g, request
from sqlalchemy import select

from inspector.activities.permissions import get_activity_or_404, visible_activities
from inspector.activities.serialize import activity_json, file_json, kind_json
from inspector.activities.services import save_activity
from inspector.api import bp
from inspector.api.assessment_schemas import ACTIVITY_IN
from inspector.api.inspections import canonical_uuid
from inspector.api.pagination import page
from inspector.api.validation import json_body
from inspector.database import read_only_part
from inspector.errors import ValidationError
from inspector.extensions import db
from inspector.files.services import store_file
from inspector.models import Activity, ActivityKind, Department
from inspector.periods import parse_day


@bp.put("/activities/<uuid>")
def put_activity(uuid):
    """Record an activity, or change one you recorded; repeating the request is safe."""
    uuid = canonical_uuid(uuid)
    existing = db.session.scalar(select(Activity.id).where(Activity.uuid == uuid))
    if existing is not None:
        get_activity_or_404(uuid, g.api_user)
    activity, created = save_activity(g.api_user, uuid, json_body(ACTIVITY_IN))
    db.session.commit()
    return activity_json(activity), 201 if created else 200


@bp.get("/activities/<uuid>")
def get_activity(uuid):
    """Show one activity the caller may see."""
    return activity_json(get_activity_or_404(canonical_uuid(uuid), g.api_user))


def day_arg(name):
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return parse_day(raw)
    except ValueError:
        abort(400, f"'{name}' must be a date, YYYY-MM-DD.")


@bp.get("/activities")
def list_activities():
    """List activities by date range, kind and department."""
    stmt = visible_activities(g.api_user)
    first, last = day_arg("from"), day_arg("to")
    if first:
        stmt = stmt.where(Activity.date >= first)
    if last:
        stmt = stmt.where(Activity.date <= last)
    if request.args.get("kind"):
        stmt = stmt.join(ActivityKind, ActivityKind.id == Activity.kind_id).where(
            ActivityKind.code == request.args["kind"]
        )
    if request.args.get("department"):
        stmt = stmt.join(Department, Department.id == Activity.department_id).where(
            Department.code == request.args["department"]
        )
    return page(stmt, Activity.id, activity_json)


@bp.get("/activity-kinds")
def activity_kinds():
    """List the kinds of activity (active ones unless all=true)."""
    stmt = select(ActivityKind)
    if request.args.get("all") != "true":
        stmt = stmt.where(ActivityKind.active)
    return page(stmt, ActivityKind.id, kind_json)


@bp.put("/files/<uuid>")
def put_file(uuid):
    """Upload a document `uuid` (multipart field `file`); the same bytes again answer 200."""
    try:
        uuid = str(uuid_module.UUID(uuid))
    except ValueError:
        abort(404, "A file id is a UUID.")
    upload = request.files.get("file")
    if upload is None:
        raise ValidationError({"file": "Attach the document as multipart field 'file'."})
    record, created = store_file(g.api_user, uuid, upload.stream, upload.filename)
    db.session.commit()
    with read_only_part():
        return file_json(record), 201 if created else 200

"""API endpoints for checklists (templates) and their versions."""

from flask import abort, g, request

from inspector.api import bp
from inspector.api.auth import roles
from inspector.api.pagination import page
from inspector.api.schemas import TEMPLATE_CHANGE
from inspector.api.validation import json_body, json_object
from inspector.checklists.lifecycle import limit_to_kinds, may_see, offered, set_status, visible
from inspector.checklists.services import checklist_document, save_checklist
from inspector.extensions import db
from inspector.models import Checklist, Role


def template_json(checklist):
    return {
        "id": checklist.id,
        "code": checklist.code,
        "version": checklist.version,
        "current": checklist.is_current,
        "status": str(checklist.status),
        "site_kinds": checklist.kinds,
        "created_at": checklist.created_at.isoformat(),
        **checklist_document(checklist),
    }


@bp.get("/templates")
def templates():
    """List the checklists offered for new inspections (every version with all=true).

    Drafts are listed to admins only; retired checklists only with all=true.
    """
    if request.args.get("all") == "true":
        stmt = visible(g.api_user)
    else:
        stmt = offered(g.api_user).where(Checklist.is_current)
    if request.args.get("code"):
        stmt = stmt.where(Checklist.code == request.args["code"])
    return page(stmt, Checklist.id, template_json)


@bp.route("/templates/<int:template_id>", methods=["GET", "PATCH"])
def template(template_id):
    """Show one checklist version (GET), or change its code's lifecycle (PATCH).

    One rule for both methods: with a rule per method, Werkzeug answers an id its converter
    refuses (0) with 405 for one method and 404 for the other.
    """
    if request.method == "PATCH":
        return change_template(template_id)
    checklist = db.session.get(Checklist, template_id)
    if checklist is None or not may_see(g.api_user, checklist):
        abort(404, "No such template.")
    return template_json(checklist)


@bp.post("/templates")
@roles(Role.ADMIN)
def create_template():
    """Create a checklist, or a new version of an existing code."""
    checklist = save_checklist(g.api_user, json_object())
    db.session.commit()
    return template_json(checklist), 201


@roles(Role.ADMIN)
def change_template(template_id):
    """Publish, retire or take back a checklist, or limit it to site kinds (every version)."""
    checklist = db.session.get(Checklist, template_id)
    if checklist is None:
        abort(404, "No such template.")
    body = json_body(TEMPLATE_CHANGE)
    if "status" in body:
        set_status(g.api_user, checklist, body["status"])
    if "site_kinds" in body:
        limit_to_kinds(g.api_user, checklist, body["site_kinds"])
    db.session.commit()
    return template_json(db.session.get(Checklist, template_id))

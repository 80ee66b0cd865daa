"""API endpoints for checklists (templates) and their versions."""

from flask import abort, g, request

from inspector.api import bp
from inspector.api.auth import roles
from inspector.api.pagination import page
from inspector.api.validation import json_object
from inspector.checklists.lifecycle import may_see, offered, visible
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


@bp.get("/templates/<int:template_id>")
def template(template_id):
    """Show one checklist version."""
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

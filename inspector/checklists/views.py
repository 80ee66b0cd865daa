"""Checklist screens: list, read, write in the browser, import and export as JSON."""

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from inspector.auth.permissions import role_required
from inspector.checklists.editor import (
    apply_action,
    blank_document,
    changes_between,
    document_from_form,
)
from inspector.checklists.format import fill_missing_keys, normalise
from inspector.checklists.lifecycle import change_status, limit_to_kinds, may_see
from inspector.checklists.messages import STATUS_CHANGED, fault_lines
from inspector.checklists.services import (
    checklist_document,
    current_checklists,
    latest_version,
    save_checklist,
    unused_code,
    used_keys,
)
from inspector.errors import ValidationError
from inspector.extensions import db
from inspector.inputs import JsonTooDeepError, parse_json
from inspector.limits import MAX_JSON_DEPTH
from inspector.models import Checklist, ChecklistStatus, Role, SiteKind

bp = Blueprint("checklists", __name__, url_prefix="/checklists")


def get_checklist_or_404(checklist_id):
    """Load a checklist version the user may see: a draft is the admins' own."""
    checklist = db.session.get(Checklist, checklist_id)
    if checklist is None or not may_see(current_user, checklist):
        abort(404)
    return checklist


@bp.route("/")
@login_required
def index():
    """List the checklists, drafts and retired ones apart."""
    groups = {status: [] for status in ChecklistStatus}
    for checklist in current_checklists(current_user):
        groups[checklist.status].append(checklist)
    return render_template("checklists/index.html", groups=groups)


@bp.route("/<int:checklist_id>")
@login_required
def detail(checklist_id):
    """Show one version of a checklist and its other versions."""
    checklist = get_checklist_or_404(checklist_id)
    versions = db.session.scalars(
        select(Checklist).where(Checklist.code == checklist.code).order_by(Checklist.version.desc())
    ).all()
    return render_template(
        "checklists/detail.html",
        checklist=checklist,
        versions=versions,
        latest=versions[0],
        SiteKind=SiteKind,
    )


@bp.post("/<int:checklist_id>/status")
@role_required(Role.ADMIN)
def status(checklist_id):
    """Publish, retire or take back a checklist (every version of its code)."""
    checklist = get_checklist_or_404(checklist_id)
    action = request.form.get("action", "")
    change_status(current_user, checklist, action)
    db.session.commit()
    flash(STATUS_CHANGED[action], "success")
    return redirect(url_for("checklists.detail", checklist_id=checklist.id), code=303)


@bp.post("/<int:checklist_id>/site-kinds")
@role_required(Role.ADMIN)
def site_kinds(checklist_id):
    """Offer a checklist only at some kinds of site (none ticked: at all)."""
    checklist = get_checklist_or_404(checklist_id)
    limit_to_kinds(current_user, checklist, request.form.getlist("kind"))
    db.session.commit()
    flash(_("Saved where the checklist is used."), "success")
    return redirect(url_for("checklists.detail", checklist_id=checklist.id), code=303)


@bp.route("/<int:checklist_id>/export")
@login_required
def export(checklist_id):
    """Download a checklist version as the contract's JSON."""
    checklist = get_checklist_or_404(checklist_id)
    body = json.dumps(checklist_document(checklist), ensure_ascii=False, indent=2)
    filename = f"{checklist.code}-v{checklist.version}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/new", methods=["GET", "POST"], defaults={"checklist_id": None})
@bp.route("/<int:checklist_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(checklist_id):
    """Write a checklist; saving a changed one makes a new version."""
    current = get_checklist_or_404(checklist_id) if checklist_id else None
    latest = latest_version(current.code) if current else None
    if current and latest.id != current.id and request.method == "GET":
        flash(_("Version %(n)d is the current one: edits start from it.", n=latest.version), "info")
        return redirect(url_for("checklists.edit", checklist_id=latest.id), code=303)
    document = checklist_document(current) if current else starting_document()
    errors = {}
    if request.method == "POST":
        document = document_from_form(request.form)
        action = request.form.get("action", "save")
        if action != "save":
            document = apply_action(document, action)
        elif current and latest.id != current.id:
            # A newer version was saved while this form was open: show what saving would drop.
            return render_template(
                "checklists/edit.html",
                document=document,
                errors={},
                checklist=current,
                newer=latest,
                lost=changes_between(checklist_document(current), checklist_document(latest)),
            ), 409
        elif current and unchanged(document, current):
            flash(_("Nothing changed; no new version made."), "info")
            return redirect(url_for("checklists.detail", checklist_id=current.id), code=303)
        else:
            saved, errors = try_save(document, based_on=current)
            if saved:
                return redirect(url_for("checklists.detail", checklist_id=saved.id), code=303)
    return render_template(
        "checklists/edit.html", document=document, errors=errors, checklist=current
    )


def starting_document():
    """A blank checklist, or a copy of one (?copy=ID) under a new code, to start from."""
    source = request.args.get("copy", type=int)
    if not source:
        return blank_document()
    document = checklist_document(get_checklist_or_404(source))
    document["code"] = ""
    document["name"] = _("%(name)s (copy)", name=document["name"])
    return document


def unchanged(document, checklist):
    try:
        return normalise(document) == normalise(checklist_document(checklist))
    except (KeyError, AttributeError, TypeError):
        return False  # an incomplete document differs; the checker will name the faults


def try_save(document, based_on=None):
    """Save `document` as a new version, or return the faults to show on the form.

    Items left without a key get one generated; a new checklist starts as a draft.
    """
    code = document.get("code") if isinstance(document, dict) else None
    if code == "" and based_on is None:
        document["code"] = code = unused_code()  # as with item keys: made, then kept
    fill_missing_keys(document, used_keys(code if isinstance(code, str) else None))
    try:
        checklist = save_checklist(current_user, document, based_on, ChecklistStatus.DRAFT)
    except ValidationError as error:
        db.session.rollback()
        flash(_("Please correct the marked fields."), "error")
        return None, error.fields
    db.session.commit()
    flash(_("Saved as version %(version)d.", version=checklist.version), "success")
    return checklist, {}


@bp.route("/import", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def import_json():
    """Import a checklist from a JSON file or pasted text."""
    errors = {}
    if request.method == "POST":
        upload = request.files.get("file")
        text = upload.read().decode("utf-8", "replace") if upload else request.form.get("text", "")
        try:
            document = parse_json(text)
        except JsonTooDeepError:
            errors = {
                "body": _("The JSON is nested too deeply (at most %(n)d levels).", n=MAX_JSON_DEPTH)
            }
        except ValueError:
            errors = {"body": _("This is not valid JSON.")}
        else:
            saved, errors = try_save(document)
            if saved:
                return redirect(url_for("checklists.detail", checklist_id=saved.id), code=303)
            return render_template(
                "checklists/import.html", errors=fault_lines(document, errors)
            ), 422
    return render_template("checklists/import.html", errors=fault_lines(None, errors))

"""Appeal screens: a lead files one from an inspection; reviewers see the queue and rule."""

import uuid as uuid_module

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from inspector.appeals import queries
from inspector.appeals.forms import corrected_answer, decision_choices
from inspector.appeals.permissions import get_appeal_or_404, may_decide, may_file, visible_appeals
from inspector.appeals.services import answered, decide_appeal, file_appeal, withdraw_appeal
from inspector.database import read_only_part
from inspector.errors import ValidationError, return_to
from inspector.extensions import db
from inspector.inspections.permissions import get_inspection_or_404
from inspector.models import Appeal
from inspector.photos.services import stamp_lines_for, store_files

bp = Blueprint("appeals", __name__, url_prefix="/appeals")


@bp.route("/")
@login_required
def index():
    """List the appeals the user may see: pending first, then the latest rulings."""
    groups = queries.appeal_groups(visible_appeals(current_user))
    return render_template("appeals/index.html", groups=groups)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Appeal one deducted item of an inspection of the lead's department."""
    if not may_file(current_user):
        abort(403)
    inspection = get_inspection_or_404(request.values.get("inspection", ""), current_user)
    response = next(
        (r for r in inspection.responses if r.item.key == request.values.get("item")), None
    )
    if response is None:
        abort(404)
    ident = form_uuid()
    if request.method == "POST":
        appeal = file_from_form(inspection, response, ident)
        if appeal is not None:
            db.session.commit()
            flash(_("Appeal filed. A supervisor will rule on it."), "success")
            return redirect(url_for("appeals.detail", uuid=appeal.uuid), code=303)
        db.session.rollback()
    return render_template(
        "appeals/new.html", inspection=inspection, response=response, ident=ident
    )


def form_uuid():
    """The new appeal's id, carried by the form: a double tap or a retry files it once."""
    try:
        return str(uuid_module.UUID(request.form.get("uuid", "")))
    except ValueError:
        return str(uuid_module.uuid4())


def file_from_form(inspection, response, ident):
    """Store the form's photos and file the appeal; flash the faults and return None."""
    with read_only_part():  # photos are read before the write lock is taken
        stamp_lines = stamp_lines_for(current_user, current_app.config, inspection.site)
    photos, problems = store_files(current_user, request.files.getlist("photos"), stamp_lines)
    body = {
        "inspection": inspection.uuid,
        "item": response.item.key,
        "reason": request.form.get("reason", ""),
        "photos": photos,
    }
    if not body["reason"].strip():
        problems.append(_("Say why the deduction is wrong."))
    if not problems:
        try:
            return file_appeal(current_user, ident, body, current_app.config)[0]
        except ValidationError as error:
            problems.extend(str(message) for message in error.fields.values())
    for message in problems:
        flash(message, "error")
    return None


@bp.route("/<uuid>")
@login_required
def detail(uuid):
    """Show the item as inspected beside the appeal, and the ruling or the form to rule."""
    appeal = get_appeal_or_404(uuid, current_user)
    response = answered(appeal)
    return render_template(
        "appeals/detail.html",
        appeal=appeal,
        response=response,
        may_decide=may_decide(current_user),
        choices=decision_choices(appeal.item, response.answer_in_force) if response else [],
    )


@bp.route("/<uuid>/decision", methods=["POST"])
@login_required
def decide(uuid):
    """Uphold the deduction, or overturn it with the corrected answer."""
    if not may_decide(current_user):
        abort(403)
    appeal = get_appeal_or_404(uuid, current_user)
    decision = request.form.get("decision")
    if decision not in ("uphold", "overturn"):
        abort(400)
    return_to(url_for("appeals.detail", uuid=uuid, _anchor="decide"))
    answer = corrected_answer(appeal.item, request.form) if decision == "overturn" else None
    decide_appeal(
        current_user, appeal, decision, answer, request.form.get("comment", ""), current_app.config
    )
    db.session.commit()
    upheld = decision == "uphold"
    flash(_("Deduction upheld.") if upheld else _("Overturned: the score is amended."), "success")
    return redirect(url_for("appeals.detail", uuid=uuid), code=303)


@bp.route("/<uuid>/withdraw", methods=["POST"])
@login_required
def withdraw(uuid):
    """Withdraw one's own pending appeal."""
    appeal = get_appeal_or_404(uuid, current_user)
    if appeal.author_id != current_user.id:
        abort(403)
    return_to(url_for("appeals.detail", uuid=uuid))
    withdraw_appeal(current_user, appeal)
    db.session.commit()
    flash(_("Appeal withdrawn."), "success")
    return redirect(url_for("appeals.detail", uuid=uuid), code=303)


def pending_total():
    """Pending appeals the current user may see (the home page's figure)."""
    return queries.pending_count(visible_appeals(current_user, select(Appeal)))

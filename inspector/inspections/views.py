"""The inspection screens: pick a site and checklist, answer, review, submit, see it."""

import uuid as uuid_module
from datetime import UTC, datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from inspector.auth.permissions import role_required
from inspector.checklists.services import current_checklists
from inspector.clock import local_now
from inspector.database import read_only_part
from inspector.errors import ValidationError, return_to
from inspector.extensions import db
from inspector.inputs import record_id
from inspector.inspections import drafts, queries
from inspector.inspections.permissions import AUTHORS, get_inspection_or_404
from inspector.inspections.services import (
    discard_draft,
    review_inspection,
    save_inspection,
    submission_problems,
)
from inspector.inspections.webform import (
    body_from_inspection,
    inspection_body,
    photos_from_form,
    responses_from_form,
    uploads_by_item,
)
from inspector.models import Checklist, ClosedPeriod, InspectionStatus, Role
from inspector.organization.queries import site_or_404, sites_for_picking
from inspector.periods import local_date
from inspector.photos.services import stamp_lines_for, store_uploads

bp = Blueprint("inspections", __name__, url_prefix="/inspections")


@bp.route("/")
@login_required
def index():
    """List the inspections the user works on or may read."""
    groups = queries.inspection_groups(current_user)
    return render_template("inspections/index.html", groups=groups)


@bp.route("/new")
@role_required(*AUTHORS)
def pick_site():
    """Choose the site to inspect: recently visited first, searchable."""
    sites = sites_for_picking(current_user, request.args.get("q", "").strip())
    return render_template("inspections/pick_site.html", sites=sites)


@bp.route("/new/<site_code>", methods=["GET", "POST"])
@role_required(*AUTHORS)
def pick_checklist(site_code):
    """Choose the checklist, then start a draft."""
    site = site_or_404(site_code)
    if request.method == "POST":
        ident = record_id(request.form.get("checklist"))
        checklist = db.session.get(Checklist, ident) if ident else None
        if checklist is None or not checklist.is_current:
            abort(400)
        draft = queries.open_draft(current_user, site, checklist)
        if draft is not None:
            flash(_("You already had a draft here; carry on with it."), "info")
            return redirect(url_for("inspections.edit", uuid=draft.uuid), code=303)
        body = {
            "template": checklist.id,
            "site": site.code,
            "responses": [],
            "submit": False,
            "started_at": datetime.now(UTC).isoformat(),
        }
        inspection, _created = save_inspection(
            current_user, str(uuid_module.uuid4()), body, current_app.config
        )
        db.session.commit()
        return redirect(url_for("inspections.edit", uuid=inspection.uuid), code=303)
    checklists = queries.suggested_first(current_checklists(), site)
    return render_template("inspections/pick_checklist.html", site=site, checklists=checklists)


@bp.route("/<uuid>/edit", methods=["GET", "POST"])
@role_required(*AUTHORS)
def edit(uuid):
    """Answer the checklist; every change is saved as a draft."""
    with read_only_part():  # checked before the photos are read, which holds no lock
        inspection = get_inspection_or_404(uuid, current_user, for_edit=True)
        editable = inspection.status in (InspectionStatus.DRAFT, InspectionStatus.RETURNED)
        stamp_lines = stamp_lines_for(current_user, current_app.config, inspection.site)
    if not editable:
        return redirect(url_for("inspections.detail", uuid=uuid))
    if request.method == "POST":
        saved = save_form(uuid, stamp_lines)
        if request.accept_mimetypes.best == "application/json":
            return jsonify(saved=saved, percent=inspection.percent)
        if saved and request.form.get("action") == "review":
            return redirect(url_for("inspections.review", uuid=uuid), code=303)
        return redirect(url_for("inspections.edit", uuid=uuid), code=303)
    pending = drafts.pending_by_key(inspection)
    return render_template(
        "inspections/edit.html",
        inspection=inspection,
        answers=queries.answers_by_key(inspection),
        pending=pending,
    )


def save_form(uuid, stamp_lines):
    """Store the posted answers and photos as a draft; flash what went wrong, if anything."""
    uploaded, photo_errors = store_uploads(
        current_user, uploads_by_item(request.files), stamp_lines
    )
    inspection = get_inspection_or_404(uuid, current_user, for_edit=True)  # under the write lock
    for message in photo_errors:
        flash(message, "error")
    photos = photos_from_form(inspection.checklist, request.form, uploaded)
    responses = responses_from_form(inspection.checklist, request.form, photos)
    answered = {response["item"] for response in responses}
    try:
        save_inspection(
            current_user,
            inspection.uuid,
            inspection_body(inspection, responses, submit=False),
            current_app.config,
        )
        # A note or photo on an item not answered yet waits with the draft until it is.
        drafts.keep_unanswered(inspection, request.form, photos, answered)
    except ValidationError as error:
        db.session.rollback()
        for message in error.fields.values():
            flash(str(message), "error")
        return False
    db.session.commit()
    return not photo_errors


@bp.route("/<uuid>/discard", methods=["POST"])
@role_required(*AUTHORS)
def discard(uuid):
    """Throw away a draft that was started by mistake."""
    inspection = get_inspection_or_404(uuid, current_user, for_edit=True)
    if inspection.status != InspectionStatus.DRAFT:
        abort(409)
    discard_draft(current_user, inspection)
    db.session.commit()
    flash(_("Draft discarded."), "success")
    return redirect(url_for("inspections.index"), code=303)


@bp.route("/<uuid>/review")
@role_required(*AUTHORS)
def review(uuid):
    """Show the score and what is still missing before submitting."""
    inspection = get_inspection_or_404(uuid, current_user, for_edit=True)
    problems = submission_problems(current_user, inspection)
    item_texts = {item.key: item.text for item in inspection.checklist.items}
    return render_template(
        "inspections/review.html",
        inspection=inspection,
        problems=problems,
        item_texts=item_texts,
        closed=ClosedPeriod.covering(local_now().date()),
    )


@bp.route("/<uuid>/submit", methods=["POST"])
@role_required(*AUTHORS)
def submit(uuid):
    """Submit the inspection as it was saved."""
    inspection = get_inspection_or_404(uuid, current_user, for_edit=True)
    return_to(url_for("inspections.review", uuid=uuid))
    save_inspection(
        current_user, uuid, body_from_inspection(inspection, submit=True), current_app.config
    )
    if inspection.status != InspectionStatus.SUBMITTED:
        # Sending back exactly what was returned changes nothing (it reads as a retry).
        flash(_("Correct something the reviewer asked for before submitting again."), "error")
        return redirect(url_for("inspections.edit", uuid=uuid), code=303)
    drafts.forget(inspection)
    db.session.commit()
    flash(_("Submitted. Thank you!"), "success")
    return redirect(url_for("inspections.detail", uuid=uuid), code=303)


@bp.route("/<uuid>")
@login_required
def detail(uuid):
    """Show an inspection: its score, answers, photos and review."""
    inspection = get_inspection_or_404(uuid, current_user)
    return render_template(
        "inspections/detail.html",
        inspection=inspection,
        answers=queries.answers_by_key(inspection),
        closed=closed_period_of(inspection),
    )


def closed_period_of(inspection):
    """The close in force over the day the inspection was submitted, if any."""
    if inspection.submitted_at is None:
        return None
    return ClosedPeriod.covering(
        local_date(inspection.submitted_at, current_app.config["TIMEZONE"])
    )


@bp.route("/<uuid>/decision", methods=["POST"])
@role_required(Role.SUPERVISOR, Role.ADMIN)
def decide(uuid):
    """Approve a submitted inspection, or return it with a comment."""
    inspection = get_inspection_or_404(uuid, current_user)
    decision = request.form.get("decision")
    if decision not in ("approve", "return"):
        abort(400)
    return_to(url_for("inspections.detail", uuid=uuid))
    try:
        review_inspection(
            current_user, inspection, decision, request.form.get("comment", ""), current_app.config
        )
    except ValidationError as error:
        db.session.rollback()
        # Shown under the comment box, with what was typed kept.
        return render_template(
            "inspections/detail.html",
            inspection=inspection,
            answers=queries.answers_by_key(inspection),
            closed=closed_period_of(inspection),
            review_error=next(iter(error.fields.values())),
        ), 422
    db.session.commit()
    flash(_("Approved.") if decision == "approve" else _("Returned to the inspector."), "success")
    return redirect(url_for("inspections.detail", uuid=uuid), code=303)

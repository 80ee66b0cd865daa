"""The inspection web pages: the list to review, an inspection's record, the review.

Inspectors start, answer and submit inspections in the offline-first field screens
(/field/..., static/js/app.js), the one path for that; these pages read and review.
"""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from inspector.auth.permissions import role_required
from inspector.documents.files import inspection_report_file
from inspector.errors import ValidationError, return_to
from inspector.extensions import db
from inspector.inspections import queries
from inspector.inspections.permissions import get_inspection_or_404
from inspector.inspections.services import review_inspection
from inspector.models import ClosedPeriod, Role
from inspector.periods import local_date

bp = Blueprint("inspections", __name__, url_prefix="/inspections")


@bp.route("/")
@login_required
def index():
    """List the inspections the user works on or may read."""
    if current_user.role == Role.INSPECTOR:
        # Their own, drafts on the phone included, are in the field screen.
        return redirect(url_for("field.screen", screen="inspections"))
    groups = queries.inspection_groups(current_user)
    return render_template("inspections/index.html", groups=groups)


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


@bp.route("/<uuid>/report.pdf")
@login_required
def report(uuid):
    """Download the inspection's report as a PDF."""
    return inspection_report_file(get_inspection_or_404(uuid, current_user))


def closed_period_of(inspection):
    """The close in force over the day the inspection was submitted, if any."""
    if inspection.submitted_at is None:
        return None
    day = local_date(inspection.submitted_at, current_app.config["TIMEZONE"])
    return ClosedPeriod.covering(day)


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

"""The inspection web pages: the list to review, an inspection's record, the review.

Inspectors start, answer and submit inspections in the offline-first field screens
(/field/..., static/js/app.js), the one path for that; these pages read and review.
"""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from inspector.appeals.queries import appeals_of
from inspector.appeals.services import appealable_items
from inspector.auth.permissions import role_required
from inspector.documents.files import inspection_report_file
from inspector.errors import ValidationError, return_to
from inspector.extensions import db
from inspector.inspections import queries, review
from inspector.inspections.permissions import get_inspection_or_404
from inspector.inspections.services import review_inspection
from inspector.models import ClosedPeriod, Role
from inspector.organization.presence import presence
from inspector.periods import local_date

bp = Blueprint("inspections", __name__, url_prefix="/inspections")
REVIEWERS = (Role.SUPERVISOR, Role.ADMIN)


@bp.route("/")
@login_required
def index():
    """List the inspections the user works on or may read."""
    if current_user.role == Role.INSPECTOR:
        # Their own, drafts on the phone included, are in the field screen.
        return redirect(url_for("field.screen", screen="inspections"))
    chosen = review.read_filter(request.args)
    reviewer = current_user.role in REVIEWERS
    zone = current_app.config["TIMEZONE"]
    groups = queries.inspection_groups(
        current_user, narrow=lambda stmt: review.narrow(stmt, chosen, zone)
    )
    return render_template(
        "inspections/index.html",
        groups=groups,
        chosen=chosen,
        choices=review.filter_choices() if reviewer else None,
    )


@bp.post("/approve")
@role_required(*REVIEWERS)
def approve_selected():
    """Approve the ticked inspections after one confirmation page listing them."""
    uuids = list(dict.fromkeys(request.form.getlist("uuid")))[: review.MAX_BULK]
    back = url_for("inspections.index", **review.read_filter(request.form).args())
    inspections = [get_inspection_or_404(uuid, current_user) for uuid in uuids]
    if not inspections:
        flash(_("Tick the inspections to approve first."), "error")
        return redirect(back, code=303)
    if request.form.get("confirm") != "yes":
        return render_template(
            "inspections/approve.html", inspections=inspections, back=back, form=request.form
        )
    approved, skipped = review.approve_many(current_user, inspections, current_app.config)
    db.session.commit()
    flash(
        ngettext("Approved %(num)d inspection.", "Approved %(num)d inspections.", len(approved)),
        "success",
    )
    for inspection, reason in skipped:
        flash(
            _("Not approved: %(site)s (%(reason)s)", site=inspection.site.name, reason=reason),
            "error",
        )
    return redirect(back, code=303)


@bp.route("/<uuid>")
@login_required
def detail(uuid):
    """Show an inspection: its score, answers, photos and review."""
    inspection = get_inspection_or_404(uuid, current_user)
    return render_template(
        "inspections/detail.html", **detail_context(inspection), closed=closed_period_of(inspection)
    )


def detail_context(inspection):
    """The inspection, its answers, the appeals of its items and which the user may appeal."""
    appeals = appeals_of(inspection)
    return {
        "inspection": inspection,
        "answers": queries.answers_by_key(inspection),
        "appeals": appeals,
        "appealable": appealable_items(current_user, inspection, appeals, current_app.config),
        "presence": presence(inspection.site, inspection.lat, inspection.lon),
    }


@bp.route("/<uuid>/print")
@login_required
def print_view(uuid):
    """Show an inspection as a printable record: every answer, note and photo."""
    inspection = get_inspection_or_404(uuid, current_user)
    return render_template(
        "inspections/print.html", inspection=inspection, answers=queries.answers_by_key(inspection)
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
            **detail_context(inspection),
            closed=closed_period_of(inspection),
            review_error=next(iter(error.fields.values())),
        ), 422
    db.session.commit()
    flash(_("Approved.") if decision == "approve" else _("Returned to the inspector."), "success")
    return redirect(url_for("inspections.detail", uuid=uuid), code=303)

"""Findings screens: my findings, open one by hand, fix with after photos, verify."""

import uuid as uuid_module

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from inspector.auth.permissions import role_required
from inspector.clock import local_now
from inspector.database import read_only_part
from inspector.errors import ValidationError, return_to
from inspector.extensions import db
from inspector.findings import queries
from inspector.findings.permissions import CREATORS, can_fix, can_verify, get_finding_or_404
from inspector.findings.serialize import is_overdue
from inspector.findings.services import fix_finding, save_finding, verify_finding
from inspector.inputs import record_id
from inspector.models import Campaign, Department
from inspector.organization.queries import site_or_404, sites_for_picking
from inspector.photos.services import stamp_lines_for, store_files

bp = Blueprint("findings", __name__, url_prefix="/findings")


@bp.route("/")
@login_required
def index():
    """List findings to act on: overdue first for a department, fixes to verify first."""
    departments = db.session.scalars(select(Department).order_by(Department.code)).all()
    chosen = next((d for d in departments if d.code == request.args.get("department")), None)
    groups = queries.finding_groups(current_user, local_now().date(), chosen.id if chosen else None)
    return render_template(
        "findings/index.html",
        groups=groups,
        today=local_now().date(),
        departments=departments,
        chosen=chosen,
    )


@bp.route("/<uuid>")
@login_required
def detail(uuid):
    """Show a finding: what was wrong, before and after photos, and the next step."""
    finding = get_finding_or_404(uuid, current_user)
    return render_template(
        "findings/detail.html",
        finding=finding,
        overdue=is_overdue(finding, local_now().date()),
        may_fix=can_fix(current_user, finding),
        may_verify=can_verify(current_user, finding),
    )


@bp.route("/<uuid>/fix", methods=["POST"])
@login_required
def fix(uuid):
    """Mark a finding fixed with the after photos just taken."""
    with read_only_part():  # checked before the photos are read, which holds no lock
        stamp_lines = stamp_lines_for(current_user, current_app.config, fixable_finding(uuid).site)
    photos, refused = store_files(current_user, request.files.getlist("after"), stamp_lines)
    finding = fixable_finding(uuid)  # again, under the write lock: as it is now
    for message in refused:
        flash(message, "error")
    return step(
        uuid,
        lambda: fix_finding(current_user, finding, photos, request.form.get("note", "")),
        _("Marked fixed. A reviewer will check the photos."),
        anchor="fix",
    )


def fixable_finding(uuid):
    """The finding `uuid` if the current user may fix it; 404 or 403 otherwise."""
    finding = get_finding_or_404(uuid, current_user)
    if not can_fix(current_user, finding):
        abort(403)
    return finding


@bp.route("/<uuid>/verify", methods=["POST"])
@login_required
def verify(uuid):
    """Accept a fix, or reject it with a reason."""
    finding = get_finding_or_404(uuid, current_user)
    decision = request.form.get("decision")
    if not can_verify(current_user, finding):
        abort(403)
    if decision not in ("accept", "reject"):
        abort(400)
    message = (
        _("Fix accepted; the finding is closed.")
        if decision == "accept"
        else _("Fix rejected; the finding is open again.")
    )
    return step(
        uuid,
        lambda: verify_finding(current_user, finding, decision, request.form.get("comment", "")),
        message,
        anchor="verify",
    )


def step(uuid, action, success, anchor=None):
    """Run one step of the finding's life, then show the finding."""
    # A refused step goes back to the form that needs correcting, not the top of a long page.
    return_to(url_for("findings.detail", uuid=uuid, _anchor=anchor))
    action()
    db.session.commit()
    flash(success, "success")
    return redirect(url_for("findings.detail", uuid=uuid), code=303)


@bp.route("/new", methods=["GET", "POST"])
@role_required(*CREATORS)
def create():
    """Open a finding by hand at a site, with before photos."""
    if request.method == "POST":
        finding = open_from_form()
        if finding is not None:
            db.session.commit()
            if finding.campaign_id:
                # On to the next spot, with the way back to the campaign on the form.
                flash(
                    _(
                        "Spot registered: %(title)s. Register the next one, "
                        "or go back to the campaign.",
                        title=finding.title,
                    ),
                    "success",
                )
                return redirect(url_for("findings.create", campaign=finding.campaign_id), code=303)
            flash(_("Finding opened."), "success")
            return redirect(url_for("findings.detail", uuid=finding.uuid), code=303)
        db.session.rollback()
    campaign = campaign_arg()
    sites = campaign.sites if campaign else [s for s, _visit in sites_for_picking(current_user)]
    # The form carries the new finding's id, so a double tap or a retried post updates
    # the same finding instead of opening a second one.
    ident = request.form.get("uuid") or str(uuid_module.uuid4())
    return render_template("findings/new.html", sites=sites, campaign=campaign, ident=ident)


def form_uuid():
    try:
        return str(uuid_module.UUID(request.form.get("uuid", "")))
    except ValueError:
        return str(uuid_module.uuid4())


def campaign_arg():
    """The campaign a spot is being added to (?campaign= or the form), if any."""
    raw = request.values.get("campaign")
    if not raw:
        return None
    ident = record_id(raw)
    return (ident and db.session.get(Campaign, ident)) or abort(404)


def open_from_form():
    """Store the form's photos and open the finding; flash the faults and return None."""
    if not request.form.get("site"):
        flash(_("Choose a site."), "error")
        return None
    with read_only_part():  # checked before the photos are read, which holds no lock
        stamp_lines = stamp_lines_for(
            current_user, current_app.config, site_or_404(request.form.get("site", ""))
        )
    photos, refused = store_files(current_user, request.files.getlist("before"), stamp_lines)
    site = site_or_404(request.form.get("site", ""))  # again, under the write lock
    problems = list(refused)
    if not request.form.get("title", "").strip():
        problems.append(_("Say what is wrong."))
    body = {
        "site": site.code,
        "title": request.form.get("title", ""),
        "description": request.form.get("description", ""),
        "due": request.form.get("due") or None,
        "before_photos": photos,
    }
    if not problems:
        try:
            return save_finding(
                current_user, form_uuid(), body, current_app.config, campaign=campaign_arg()
            )[0]
        except ValidationError as error:
            problems.extend(str(message) for message in error.fields.values())
    for message in problems:
        flash(message, "error")
    return None

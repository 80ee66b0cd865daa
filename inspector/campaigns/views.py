"""Campaign screens: list, create, progress with before/after pairs, report, ZIP archive."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from inspector.auth.permissions import role_required
from inspector.campaigns.archive import build_zip
from inspector.campaigns.services import all_campaigns, progress, save_campaign
from inspector.documents.files import campaign_report_file
from inspector.errors import ValidationError
from inspector.extensions import db
from inspector.findings.permissions import can_read
from inspector.models import Campaign, Role, Site, SiteKind

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")

ORGANISERS = (Role.ADMIN, Role.SUPERVISOR)


def get_campaign_or_404(campaign_id):
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    return campaign


def visible_spots(campaign):
    return [spot for spot in campaign.spots if can_read(current_user, spot)]


@bp.route("/")
@login_required
def index():
    """List cleanup campaigns with their progress."""
    campaigns = [(c, progress(c)) for c in all_campaigns()]
    return render_template("campaigns/index.html", campaigns=campaigns)


@bp.route("/new", methods=["GET", "POST"])
@role_required(*ORGANISERS)
def create():
    """Start a campaign over a set of sites and dates."""
    errors = {}
    if request.method == "POST":
        try:
            campaign = save_campaign(
                current_user,
                request.form.get("name"),
                request.form.get("description"),
                request.form.get("starts_on"),
                request.form.get("ends_on"),
                request.form.getlist("sites"),
            )
        except ValidationError as error:
            db.session.rollback()
            errors = error.fields
        else:
            db.session.commit()
            flash(_("Campaign created."), "success")
            return redirect(url_for("campaigns.detail", campaign_id=campaign.id), code=303)
    sites = db.session.scalars(
        select(Site).where(Site.active).order_by(Site.kind != SiteKind.RESIDENTIAL, Site.code)
    ).all()
    return render_template("campaigns/new.html", sites=sites, errors=errors)


@bp.route("/<int:campaign_id>")
@login_required
def detail(campaign_id):
    """Show a campaign's spots as before/after pairs and its progress."""
    return render_campaign("campaigns/detail.html", campaign_id)


@bp.route("/<int:campaign_id>/report")
@login_required
def report(campaign_id):
    """The printable before/after report."""
    return render_campaign("campaigns/report.html", campaign_id)


@bp.route("/<int:campaign_id>/report.pdf")
@login_required
def report_pdf(campaign_id):
    """Download the before/after report as a PDF."""
    campaign = get_campaign_or_404(campaign_id)
    return campaign_report_file(campaign, visible_spots(campaign), progress(campaign))


def render_campaign(template, campaign_id):
    """A campaign page: its spots the user may see, and its progress."""
    campaign = get_campaign_or_404(campaign_id)
    return render_template(
        template, campaign=campaign, spots=visible_spots(campaign), progress=progress(campaign)
    )


@bp.route("/<int:campaign_id>/export.zip")
@role_required(*ORGANISERS)
def export(campaign_id):
    """Download every spot's photos with an index: the archive of the cleanup."""
    campaign = get_campaign_or_404(campaign_id)
    headers = [
        _("No."),
        _("Code"),
        _("Site"),
        _("Problem"),
        _("Details"),
        _("Status"),
        _("Found"),
        _("Fixed"),
        _("What was done"),
        _("Before or after"),
        _("Photo file"),
        _("Original file"),
        _("Taken at"),
        _("Latitude"),
        _("Longitude"),
        _("SHA-256 of the original"),
    ]
    return current_app.response_class(
        build_zip(campaign, headers, current_user),
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="campaign-{campaign.id}.zip"'},
    )

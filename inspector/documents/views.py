"""The evidence archive screen: ask for a year's archive, see it being built, download it."""

from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from inspector import queue
from inspector.auth.permissions import role_required
from inspector.clock import local_now
from inspector.documents.jobs import ZIP
from inspector.extensions import db
from inspector.models import ArchiveStatus, DocumentArchive, Role
from inspector.periods import FIRST_DAY, LAST_DAY, period_containing
from inspector.photos.services import storage

bp = Blueprint("documents", __name__, url_prefix="/documents")
BUILDERS = (Role.SUPERVISOR, Role.ADMIN)


@bp.route("/archives", methods=["GET", "POST"])
@role_required(*BUILDERS)
def archives():
    """List the user's archives; a POST asks the worker to build one for a year."""
    if request.method == "POST":
        year = year_from_form()
        span = period_containing(date(year, 1, 1), "year")
        archive = DocumentArchive(
            requested_by_id=current_user.id,
            first=span.first,
            last=span.last,
            language=str(get_locale()),
        )
        db.session.add(archive)
        db.session.commit()
        queue.nudge(current_app._get_current_object(), "build_archive", archive.id)
        flash(_("The archive is being built: you get a message when it is ready."), "success")
        return redirect(url_for("documents.archives"), code=303)
    rows = db.session.scalars(
        select(DocumentArchive)
        .where(DocumentArchive.requested_by_id == current_user.id)
        .order_by(DocumentArchive.id.desc())
        .limit(50)
    ).all()
    this_year = local_now().year
    return render_template("documents/archives.html", archives=rows, this_year=this_year)


def year_from_form():
    """The form's year, within the dates the app accepts; 400 otherwise."""
    raw = request.form.get("year", "")
    if not raw.isdigit() or not FIRST_DAY.year <= int(raw) <= LAST_DAY.year:
        abort(400)
    return int(raw)


@bp.route("/archives/<int:archive_id>.zip")
@role_required(*BUILDERS)
def download(archive_id):
    """Download a ready archive (its requester's, or any for an admin)."""
    archive = db.session.get(DocumentArchive, archive_id)
    mine = archive is not None and archive.requested_by_id == current_user.id
    if not (mine or (archive is not None and current_user.role == Role.ADMIN)):
        abort(404)
    if archive.status != ArchiveStatus.READY:
        abort(404)
    name = f"archive-{archive.first}-{archive.last}.zip"
    url = storage().url(archive.file_key, current_app.config["S3_URL_EXPIRES"], ZIP, name)
    if url is not None:
        return redirect(url)
    return send_file(storage().open(archive.file_key), ZIP, as_attachment=True, download_name=name)

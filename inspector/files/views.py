"""Serve attached documents: always as a download, never to be opened inline."""

from flask import Blueprint, abort, current_app, send_file
from sqlalchemy import select

from inspector.activities.permissions import can_see_file
from inspector.extensions import db
from inspector.models import StoredFile
from inspector.photos.services import storage
from inspector.photos.views import redirect_to_storage, requesting_user

bp = Blueprint("files", __name__, url_prefix="/files")


@bp.get("/<uuid>")
def download(uuid):
    """Send one document the requester may see, as an attachment."""
    user = requesting_user()
    if user is None:
        abort(401)
    record = db.session.scalar(select(StoredFile).where(StoredFile.uuid == uuid))
    if record is None or not can_see_file(user, record):
        abort(404)
    expires = current_app.config["S3_URL_EXPIRES"]
    url = storage().url(record.key, expires, record.media_type, record.name)
    if url is not None:
        return redirect_to_storage(url)
    response = send_file(
        storage().open(record.key),
        mimetype=record.media_type,
        as_attachment=True,  # a PDF or an HTML-ish polyglot never renders in our origin
        download_name=record.name,
        etag=record.sha256,
        conditional=True,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-cache"
    return response

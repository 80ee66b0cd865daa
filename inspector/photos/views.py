"""Serve a photo's copies, never as HTML, only to those who may see it."""

from flask import Blueprint, abort, current_app, redirect, request, send_file
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import TooManyRequests

from inspector.auth import throttle
from inspector.extensions import db
from inspector.models import Photo
from inspector.photos.permissions import can_see_photo, may_download_original
from inspector.photos.services import storage

bp = Blueprint("photos", __name__, url_prefix="/photos")

ORIGINAL_TYPES = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "heif": "image/heif",
}


def requesting_user():
    """The user behind this request: a bearer token (programs) or the login session."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        try:
            caller = throttle.caller_for_token(token.strip())
        except throttle.ThrottledError as blocked:
            raise TooManyRequests(retry_after=blocked.seconds) from None
        return caller.user() if caller else None
    return current_user if current_user.is_authenticated else None


@bp.route("/<uuid>/<any(display, thumb, original):variant>")
def show(uuid, variant):
    """Send one copy of a photo the requester may see."""
    user = requesting_user()
    if user is None:
        abort(401)
    photo = db.session.scalar(select(Photo).where(Photo.uuid == uuid))
    if photo is None or not can_see_photo(user, photo):
        abort(404)
    if variant == "original" and not may_download_original(user, photo):
        abort(404)
    key = {"display": photo.display_key, "thumb": photo.thumb_key, "original": photo.original_key}[
        variant
    ]
    mimetype = ORIGINAL_TYPES[photo.format] if variant == "original" else "image/jpeg"
    # The original is evidence with its EXIF: it downloads, it never opens in a tab.
    download_name = key.rsplit("/", 1)[-1] if variant == "original" else None
    expires = current_app.config["S3_URL_EXPIRES"]
    url = storage().url(key, expires, mimetype, download_name)
    if url is not None:
        return redirect_to_storage(url)
    return send_stored(key, mimetype, photo.sha256 + variant, download_name)


def send_stored(key, mimetype, etag, download_name):
    """Send the stored file through the app, cacheable by the requester's browser only; 404
    (never a 500) if the storage has lost it, which is logged."""
    try:
        stored = storage().open(key)
    except FileNotFoundError:
        current_app.logger.warning("photo file missing from storage: %s", key)
        abort(404)
    response = send_file(
        stored,
        mimetype=mimetype,
        etag=etag,
        max_age=86400,
        as_attachment=download_name is not None,
        download_name=download_name or key.rsplit("/", 1)[-1],
        conditional=True,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Asked again each time (a cheap 304 by ETag): on a shared phone the next user must pass
    # the permission check, not be served the last user's copy from the browser's cache.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def redirect_to_storage(url):
    """Send the browser to a short-lived URL of the storage's own (S3 presigned)."""
    response = redirect(url, code=302)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Never reused without asking: it carries a signature for this requester, and the next
    # user of a shared phone must pass the permission check.
    response.headers["Cache-Control"] = "private, no-cache"
    return response

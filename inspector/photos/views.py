"""Serve a photo's copies, never as HTML, only to those who may see it."""

from flask import abort, request, send_file
from flask_login import current_user
from sqlalchemy import select

from inspector import accounts
from inspector.extensions import db
from inspector.models import Photo
from inspector.photos import bp
from inspector.photos.permissions import can_see_photo, may_download_original
from inspector.photos.services import storage

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
        return accounts.user_for_token(token.strip())
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
    response = send_file(
        storage().open(key),
        mimetype=mimetype,
        etag=photo.sha256 + variant,
        max_age=86400,
        as_attachment=variant == "original",
        download_name=key.rsplit("/", 1)[-1],
        conditional=True,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=86400, immutable"
    return response

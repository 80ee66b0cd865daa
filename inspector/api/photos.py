"""PUT /api/v1/photos/{uuid}: upload a photo once, safely retried."""

import uuid as uuid_module

from flask import abort, current_app, g, request, url_for

from inspector.api import bp
from inspector.database import read_only_part
from inspector.errors import ValidationError
from inspector.extensions import db
from inspector.periods import parse_timestamp
from inspector.photos.services import stamp_lines_for, store_photo


def photo_json(photo):
    return {
        "id": photo.uuid,
        "sha256": photo.sha256,
        "width": photo.width,
        "height": photo.height,
        "taken_at": photo.taken_at.isoformat() if photo.taken_at else None,
        "lat": photo.lat,
        "lon": photo.lon,
        "url": url_for("photos.show", uuid=photo.uuid, variant="display", _external=True),
        "thumb_url": url_for("photos.show", uuid=photo.uuid, variant="thumb", _external=True),
    }


def form_number(name, low, high):
    raw = request.form.get(name)
    if raw in (None, ""):
        return None
    try:
        value = float(raw)
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ValidationError({name: f"A number from {low} to {high}."})
    return value


def form_time(name):
    raw = request.form.get(name)
    if not raw:
        return None
    try:
        return parse_timestamp(raw, current_app.config["TIMEZONE"])
    except ValueError:
        raise ValidationError({name: "Use an ISO 8601 date and time."}) from None


@bp.put("/photos/<uuid>")
def put_photo(uuid):
    """Upload the photo `uuid` (multipart field `file`); the same bytes again answer 200."""
    try:
        uuid = str(uuid_module.UUID(uuid))
    except ValueError:
        abort(404, "A photo id is a UUID.")
    upload = request.files.get("file")
    if upload is None:
        raise ValidationError({"file": "Attach the photo as multipart field 'file'."})
    taken_at, lat, lon = (
        form_time("taken_at"),
        form_number("lat", -90, 90),
        form_number("lon", -180, 180),
    )
    options = {
        "taken_at": taken_at,
        "lat": lat,
        "lon": lon,
        "stamp_lines": stamp_lines_for(g.api_user),
    }
    photo, created = store_photo(g.api_user, uuid, upload.stream, **options)
    db.session.commit()
    with read_only_part():  # read back as stored, without taking the write lock again
        return photo_json(photo), 201 if created else 200

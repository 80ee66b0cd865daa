"""PUT /api/v1/photos/{uuid}: upload a photo once, safely retried."""

import uuid as uuid_module

from flask import abort, current_app, g, request

from inspector.api import bp
from inspector.database import read_only_part
from inspector.errors import ValidationError
from inspector.extensions import db
from inspector.periods import FIRST_DAY, LAST_DAY, parse_timestamp
from inspector.photos.services import stamp_lines_for, store_photo
from inspector.urls import public_url


def photo_json(photo):
    return {
        "id": photo.uuid,
        "sha256": photo.sha256,
        "width": photo.width,
        "height": photo.height,
        "taken_at": photo.taken_at.isoformat() if photo.taken_at else None,
        "lat": photo.lat,
        "lon": photo.lon,
        "url": public_url("photos.show", uuid=photo.uuid, variant="display"),
        "thumb_url": public_url("photos.show", uuid=photo.uuid, variant="thumb"),
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
        message = f"Use an ISO 8601 date and time from {FIRST_DAY} to {LAST_DAY}."
        raise ValidationError({name: message}) from None


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
        "stamp_lines": stamp_lines_for(g.api_user, current_app.config),
    }
    photo, created = store_photo(g.api_user, uuid, upload.stream, **options)
    db.session.commit()
    with read_only_part():  # read back as stored, without taking the write lock again
        return photo_json(photo), 201 if created else 200

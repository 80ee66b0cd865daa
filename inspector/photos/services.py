"""Storing uploaded photos: process, write the objects, then add the row (caller commits)."""

import uuid as uuid_module
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from inspector import audit
from inspector.errors import ConflictError, UnsupportedMediaError, ValidationError
from inspector.extensions import db
from inspector.images import BadImage, UnsupportedImage, process_photo, sniff_format
from inspector.models import Photo, Role
from inspector.periods import OutOfRangeError, to_utc

EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp", "heif": "heic"}
SNIFF_BYTES = 32


def storage():
    return current_app.extensions["inspector.storage"]


def photo_keys(uuid, kind):
    folder = f"{uuid[:2]}/{uuid}"
    return f"{folder}/original.{EXTENSIONS[kind]}", f"{folder}/display.jpg", f"{folder}/thumb.jpg"


def store_photo(actor, uuid, stream, *, taken_at=None, lat=None, lon=None, stamp_lines=None):
    """Store one upload as photo `uuid`; return (photo, created). Same bytes again is a no-op.

    Raises UnsupportedMediaError (415), ValidationError (422) or ConflictError (409).
    """
    processed = processed_upload(stream, stamp_lines)
    existing = db.session.scalar(select(Photo).where(Photo.uuid == uuid))
    if existing is not None:
        if existing.sha256 == processed.sha256 and existing.uploaded_by_id == actor.id:
            return existing, False
        raise ConflictError(_l("This photo id is already used for other content."))
    original_key, display_key, thumb_key = photo_keys(uuid, processed.format)
    stream.seek(0)
    # Objects are written before the row: a crash leaves an orphan object for the
    # sweeper, never a row that points at nothing.
    storage().save(original_key, stream, f"image/{processed.format}")
    storage().save(display_key, processed.display, "image/jpeg")
    storage().save(thumb_key, processed.thumb, "image/jpeg")
    photo = Photo(
        uuid=uuid,
        sha256=processed.sha256,
        uploaded_by_id=actor.id,
        format=processed.format,
        size=stream.seek(0, 2),
        width=processed.width,
        height=processed.height,
        taken_at=taken_at or exif_time(processed.taken_at),
        lat=lat if lat is not None else processed.lat,
        lon=lon if lon is not None else processed.lon,
        original_key=original_key,
        display_key=display_key,
        thumb_key=thumb_key,
    )
    db.session.add(photo)
    audit.record(actor, "photo.upload", photo, sha256=processed.sha256)
    return photo, True


def processed_upload(stream, stamp_lines):
    """The upload decoded and re-encoded; a domain error when it is no photo we accept."""
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if sniff_format(head) is None:
        raise UnsupportedMediaError(_l("Only JPEG, PNG, WebP and HEIC photos are accepted."))
    try:
        return process_photo(stream, stamp_lines)
    except UnsupportedImage as error:
        raise UnsupportedMediaError(str(error)) from None
    except BadImage as error:
        raise ValidationError({"file": str(error)}, str(error)) from None


def exif_time(moment):
    """Cameras write local time without an offset: read it in the deployment's zone.

    A camera whose clock was never set (year 1, 9999) gives no capture time at all.
    """
    if moment is None:
        return None
    try:
        return to_utc(moment, current_app.config["TIMEZONE"])
    except OutOfRangeError:
        return None


def stamp_lines_for(actor, site=None, moment=None):
    """The evidence stamp's lines (time, site, inspector), when the stamp is switched on."""
    if not current_app.config["PHOTO_STAMP"]:
        return None
    moment = (moment or datetime.now(UTC)).astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    lines = [moment.strftime("%Y-%m-%d %H:%M")]
    if site is not None:
        lines.append(site.name)
    lines.append(actor.name)
    return lines


def store_files(actor, uploads, site=None):
    """Store photos chosen in a browser form; return (uuids, messages for refused files)."""
    stored, errors = [], []
    for upload in uploads:
        if not upload or not upload.filename:
            continue
        try:
            photo, _created = store_photo(
                actor,
                str(uuid_module.uuid4()),
                upload.stream,
                stamp_lines=stamp_lines_for(actor, site),
            )
        except UnsupportedMediaError:
            errors.append(
                _("%(name)s is not a photo (JPEG, PNG, WebP or HEIC).", name=upload.filename)
            )
        except ValidationError:
            errors.append(_("%(name)s is damaged or too large to read.", name=upload.filename))
        else:
            stored.append(photo.uuid)
    return stored, errors


def store_uploads(actor, files, inspection):
    """Store the photos attached in the answering form; return ({item key: [uuid]}, errors)."""
    uploaded, errors = {}, []
    for field in files:
        if field.startswith("file."):
            stored, refused = store_files(actor, files.getlist(field), inspection.site)
            if stored:
                uploaded.setdefault(field.removeprefix("file."), []).extend(stored)
            errors.extend(refused)
    return uploaded, errors


def photos_by_uuid(actor, uuids):
    """The photos with these uuids that `actor` may attach to a record, by uuid."""
    if not uuids:
        return {}
    stmt = select(Photo).where(Photo.uuid.in_(set(uuids)))
    if actor.role != Role.ADMIN:
        # Someone else's photo is treated as never uploaded: it must not leak.
        stmt = stmt.where(Photo.uploaded_by_id == actor.id)
    return {photo.uuid: photo for photo in db.session.scalars(stmt)}

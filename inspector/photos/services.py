"""Storing uploaded photos: process, write the objects, then add the row (caller commits)."""

import hashlib
import logging
import secrets
import uuid as uuid_module
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from inspector import audit
from inspector.database import read_only_part
from inspector.errors import BusyError, ConflictError, UnsupportedMediaError, ValidationError
from inspector.extensions import db
from inspector.models import Photo, Role
from inspector.periods import OutOfRangeError, to_utc
from inspector.photos.images import (
    BadImage,
    ProcessedPhoto,
    UnsupportedImage,
    process_photo,
    sniff_format,
)
from inspector.photos.uploads import known_sha256

log = logging.getLogger(__name__)

EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp", "heif": "heic"}
SNIFF_BYTES = 32


def storage():
    return current_app.extensions["inspector.storage"]


def photo_keys(uuid, kind):
    """Fresh keys for one attempt at storing photo `uuid`.

    Every attempt writes its own objects, so a concurrent upload of the same uuid (a retry, or
    other bytes that will get 409) never overwrites the objects a stored row points to.
    """
    folder = f"{uuid[:2]}/{uuid}/{secrets.token_hex(4)}"
    return f"{folder}/original.{EXTENSIONS[kind]}", f"{folder}/display.jpg", f"{folder}/thumb.jpg"


@dataclass(frozen=True)
class PreparedPhoto:
    """An upload decoded, re-encoded and stored, waiting for its row (add_photo)."""

    uuid: str
    processed: ProcessedPhoto
    size: int
    keys: tuple[str, str, str]  # original, display, thumbnail


def store_photo(actor, uuid, stream, *, taken_at=None, lat=None, lon=None, stamp_lines=None):
    """Store one upload as photo `uuid`; return (photo, created). Same bytes again is a no-op.

    The slow part (decoding, re-encoding, writing the objects) comes before the first write,
    so a request that starts here holds no database lock through it. A retry of a stored photo
    is answered from its checksum, without decoding it again.
    Raises UnsupportedMediaError (415), ValidationError (422) or ConflictError (409).
    """
    with read_only_part(keep_loaded=True):  # a stored photo never changes
        existing = db.session.scalar(select(Photo).where(Photo.uuid == uuid))
    if existing is not None:
        return same_photo(actor, existing, sha256_of(stream)), False
    prepared = prepare_photo(uuid, stream, stamp_lines)
    return add_photo(actor, prepared, taken_at=taken_at, lat=lat, lon=lon)


def prepare_photo(uuid, stream, stamp_lines=None):
    """Decode and re-encode one upload and store its objects; no database work at all."""
    processed = processed_upload(stream, stamp_lines)
    keys = photo_keys(uuid, processed.format)
    stream.seek(0)
    save_together(
        storage(),
        (keys[0], stream, f"image/{processed.format}"),
        (keys[1], processed.display, "image/jpeg"),
        (keys[2], processed.thumb, "image/jpeg"),
    )
    return PreparedPhoto(uuid, processed, stream.seek(0, 2), keys)


def save_together(store, *objects):
    """Save (key, data, content type) objects at once; raise the first failure.

    Each save waits on the disk (its fsync) or on the network (S3), not on the processor, so
    the three copies of a photo take about as long as the slowest one instead of the sum
    (docs/benchmarks.md, "Photo path"). What one failure leaves is removed by the sweeper.
    """
    with ThreadPoolExecutor(max_workers=len(objects)) as pool:
        for saving in [pool.submit(store.save, *item) for item in objects]:
            saving.result()


def add_photo(actor, prepared, *, taken_at=None, lat=None, lon=None):
    """Add the row of a prepared photo (the caller commits); return (photo, created).

    Objects are written before the row: a crash leaves an orphan object for the sweeper, never
    a row that points at nothing. When the uuid was taken meanwhile (a concurrent retry), the
    stored photo answers if it holds the same bytes from the same user, else ConflictError;
    either way this attempt's objects are not needed and are removed.
    """
    existing = db.session.scalar(select(Photo).where(Photo.uuid == prepared.uuid))
    if existing is None:
        photo = photo_row(actor, prepared, taken_at, lat, lon)
        try:
            with db.session.begin_nested():  # PostgreSQL: another insert may win the uuid
                db.session.add(photo)
        except IntegrityError:
            existing = db.session.scalar(select(Photo).where(Photo.uuid == prepared.uuid))
        else:
            audit.record(actor, "photo.upload", photo, sha256=photo.sha256)
            return photo, True
    discard(prepared.keys)
    return same_photo(actor, existing, prepared.processed.sha256), False


def photo_row(actor, prepared, taken_at, lat, lon):
    processed = prepared.processed
    original_key, display_key, thumb_key = prepared.keys
    return Photo(
        uuid=prepared.uuid,
        sha256=processed.sha256,
        uploaded_by_id=actor.id,
        format=processed.format,
        size=prepared.size,
        width=processed.width,
        height=processed.height,
        taken_at=taken_at or exif_time(processed.taken_at),
        lat=lat if lat is not None else processed.lat,
        lon=lon if lon is not None else processed.lon,
        original_key=original_key,
        display_key=display_key,
        thumb_key=thumb_key,
    )


def same_photo(actor, existing, sha256):
    """The stored photo, when this upload is a retry of it (same bytes, same user); else 409."""
    if existing.sha256 == sha256 and existing.uploaded_by_id == actor.id:
        return existing
    raise ConflictError(_l("This photo id is already used for other content."))


def discard(keys):
    """Remove objects no row will point to; what fails here is left to the sweeper."""
    for key in keys:
        try:
            storage().delete(key)
        except Exception:  # storage errors vary by backend; none may fail the answer
            log.warning("could not remove unused object %s", key, exc_info=True)


def sha256_of(stream):
    known = known_sha256(stream)  # taken while the upload arrived
    if known is not None:
        return known
    stream.seek(0)
    digest = hashlib.file_digest(stream, "sha256").hexdigest()
    stream.seek(0)
    return digest


def processed_upload(stream, stamp_lines):
    """The upload decoded and re-encoded; a domain error when it is no photo we accept."""
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if sniff_format(head) is None:
        raise UnsupportedMediaError(_l("Only JPEG, PNG, WebP and HEIC photos are accepted."))
    try:
        budget = current_app.extensions["inspector.pixel_budget"]
        # Memory: a few at once. The checksum, when taken while the upload arrived, is not
        # taken again.
        return process_photo(stream, stamp_lines, room=budget.room, sha256=known_sha256(stream))
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


def stamp_lines_for(actor, settings, site=None, moment=None):
    """The evidence stamp's lines (time, site, inspector), when the stamp is switched on."""
    if not settings["PHOTO_STAMP"]:
        return None
    moment = (moment or datetime.now(UTC)).astimezone(ZoneInfo(settings["TIMEZONE"]))
    lines = [moment.strftime("%Y-%m-%d %H:%M")]
    if site is not None:
        lines.append(site.name)
    lines.append(actor.name)
    return lines


def store_files(actor, uploads, stamp_lines=None):
    """Store photos chosen in a browser form; return (uuids, messages for refused files).

    Call it before the request's first write (after a read_only_part): every file is decoded
    and stored first, and only then are the rows added, which takes the write lock.
    """
    prepared, errors = prepare_files(uploads, stamp_lines)
    return [add_photo(actor, photo)[0].uuid for photo in prepared], errors


def prepare_files(uploads, stamp_lines):
    """Prepare each file a person chose; return (prepared photos, messages for refused files)."""
    prepared, errors = [], []
    for upload in uploads:
        if not upload or not upload.filename:
            continue
        try:
            prepared.append(prepare_photo(str(uuid_module.uuid4()), upload.stream, stamp_lines))
        except UnsupportedMediaError:
            errors.append(
                _("%(name)s is not a photo (JPEG, PNG, WebP or HEIC).", name=upload.filename)
            )
        except ValidationError:
            errors.append(_("%(name)s is damaged or too large to read.", name=upload.filename))
        except BusyError:
            errors.append(
                _(
                    "%(name)s could not be read now: the server is busy. Add it again.",
                    name=upload.filename,
                )
            )
    return prepared, errors


def photos_by_uuid(actor, uuids):
    """The photos with these uuids that `actor` may attach to a record, by uuid."""
    if not uuids:
        return {}
    stmt = select(Photo).where(Photo.uuid.in_(set(uuids)))
    if actor.role != Role.ADMIN:
        # Someone else's photo is treated as never uploaded: it must not leak.
        stmt = stmt.where(Photo.uploaded_by_id == actor.id)
    return {photo.uuid: photo for photo in db.session.scalars(stmt)}

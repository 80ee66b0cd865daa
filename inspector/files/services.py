"""Storing uploaded documents: check the kind from the bytes, write the object, add the row.

The same rules of retry and conflict as photos: the same uuid with the same bytes from the
same person is the stored file again; anything else under a taken uuid is a conflict.
"""

import hashlib
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from inspector import audit
from inspector.database import read_only_part
from inspector.errors import (
    ConflictError,
    TooLargeError,
    UnsupportedMediaError,
    ValidationError,
)
from inspector.extensions import db
from inspector.files.kinds import DamagedFileError, UnknownKindError, media_type, safe_name
from inspector.models import Role, StoredFile
from inspector.photos.services import discard, storage


def read_upload(stream, limit):
    """The upload's bytes; TooLargeError beyond `limit`."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLargeError(_l("Files may be at most %(mb)d MB.", mb=limit // (1024 * 1024)))
    return data


def kind_of(data):
    try:
        return media_type(data)
    except UnknownKindError:
        raise UnsupportedMediaError(
            _l("Only PDF, Word (DOCX), Excel (XLSX) and image files are accepted.")
        ) from None
    except DamagedFileError as error:
        raise ValidationError({"file": str(error)}, _l("The file is damaged.")) from None


def store_file(actor, uuid, stream, filename):
    """Store one upload as file `uuid`; return (file, created). Same bytes again is a no-op."""
    data = read_upload(stream, current_app.config["FILE_MAX_BYTES"])
    sha256 = hashlib.sha256(data).hexdigest()
    with read_only_part(keep_loaded=True):  # a stored file never changes
        existing = db.session.scalar(select(StoredFile).where(StoredFile.uuid == uuid))
    if existing is not None:
        return same_file(actor, existing, sha256), False
    media = kind_of(data)
    key = f"files/{uuid[:2]}/{uuid}/{secrets.token_hex(4)}.{safe_name('', media).rsplit('.')[1]}"
    storage().save(key, data, media)  # the object first: a crash leaves an orphan, not a hole
    record = StoredFile(
        uuid=uuid,
        sha256=sha256,
        name=safe_name(filename, media),
        size=len(data),
        media_type=media,
        key=key,
        uploaded_by_id=actor.id,
    )
    try:
        with db.session.begin_nested():  # PostgreSQL: a concurrent retry may win the uuid
            db.session.add(record)
    except IntegrityError:
        discard([key])
        existing = db.session.scalar(select(StoredFile).where(StoredFile.uuid == uuid))
        return same_file(actor, existing, sha256), False
    audit.record(actor, "file.upload", record, sha256=sha256, media_type=media)
    return record, True


def same_file(actor, existing, sha256):
    if existing.sha256 == sha256 and existing.uploaded_by_id == actor.id:
        return existing
    raise ConflictError(_l("This file id is already used for other content."))


def files_by_uuid(actor, uuids):
    """The files with these uuids that `actor` may attach to a record, by uuid."""
    if not uuids:
        return {}
    stmt = select(StoredFile).where(StoredFile.uuid.in_(set(uuids)))
    if actor.role != Role.ADMIN:
        stmt = stmt.where(StoredFile.uploaded_by_id == actor.id)  # others' files stay hidden
    return {record.uuid: record for record in db.session.scalars(stmt)}

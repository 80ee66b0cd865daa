"""Restoring a backup made by inspector.maintenance.backup into an empty instance."""

import contextlib
import json
import os
import shutil

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import inspect, select

from inspector.extensions import db
from inspector.maintenance import MaintenanceError
from inspector.maintenance.backup import (
    DATABASE_FILE,
    FORMAT,
    MANIFEST_FILE,
    PHOTOS_FOLDER,
    copy_photos,
    count_files,
    file_sha256,
    local_storage,
    sqlite_path,
)
from inspector.models import Inspection, User

# Rows that mean someone already uses this instance, so restoring would destroy work.
IN_USE_BY = (User, Inspection)


def restore(source: str) -> dict:
    """Put the backup in `source` in place of this empty instance; return its manifest."""
    database, storage = sqlite_path(), local_storage()
    manifest = read_manifest(source)
    verify_backup(source, manifest)
    check_known_revision(manifest.get("schema_revision"))
    check_empty_instance(storage.root)
    # Everything is checked before anything is touched: a refusal changes nothing.
    place_database(os.path.join(source, DATABASE_FILE), database)
    copy_photos(os.path.join(source, PHOTOS_FOLDER), storage.root)
    return manifest


def read_manifest(source: str) -> dict:
    """Return the manifest of the backup in `source`; MaintenanceError if it is not one."""
    try:
        with open(os.path.join(source, MANIFEST_FILE), encoding="utf-8") as manifest_file:
            manifest = json.load(manifest_file)
    except FileNotFoundError:
        raise MaintenanceError(
            f"{source} has no {MANIFEST_FILE}: it is not a backup, or an unfinished one."
        ) from None
    except ValueError as error:
        raise MaintenanceError(f"{MANIFEST_FILE} is not valid JSON: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise MaintenanceError(f"{MANIFEST_FILE} is not an Inspector backup manifest ({FORMAT}).")
    return manifest


def verify_backup(source: str, manifest: dict) -> None:
    """Check the database copy's checksum and the number of photo files."""
    try:
        expected_sha256, expected_files = manifest["database"]["sha256"], manifest["photo_files"]
    except (KeyError, TypeError) as error:
        raise MaintenanceError(f"{MANIFEST_FILE} lacks {error}.") from None
    database = os.path.join(source, DATABASE_FILE)
    if not os.path.isfile(database):
        raise MaintenanceError(f"The backup has no {DATABASE_FILE}.")
    if file_sha256(database) != expected_sha256:
        raise MaintenanceError(
            f"Checksum mismatch: {DATABASE_FILE} is not the file the manifest describes."
        )
    found = count_files(os.path.join(source, PHOTOS_FOLDER))
    if found != expected_files:
        raise MaintenanceError(
            f"The backup has {found} photo files; its manifest says {expected_files}."
        )


def migrations() -> ScriptDirectory:
    return ScriptDirectory(current_app.extensions["migrate"].directory)


def check_known_revision(revision: str | None) -> None:
    """Refuse a backup whose schema this version of Inspector does not know (a newer one)."""
    known = {script.revision for script in migrations().walk_revisions()}
    if revision is not None and revision not in known:
        raise MaintenanceError(
            f"The backup's schema revision {revision} is unknown to this version of "
            "Inspector (made by a newer one?); upgrade Inspector first."
        )


def is_at_head(revision: str | None) -> bool:
    """Tell whether a database at `revision` needs no `flask db upgrade`."""
    return revision in migrations().get_heads()


def check_empty_instance(photos_root: str) -> None:
    """Refuse to overwrite an instance that has users, inspections or photo files."""
    try:
        in_use = database_in_use()
    finally:
        db.session.remove()
    if in_use:
        raise MaintenanceError(
            "The database already has users or inspections: restore only into an empty instance."
        )
    if os.path.isdir(photos_root) and count_files(photos_root):
        raise MaintenanceError(
            f"The photos folder {photos_root} is not empty: restore only into an empty instance."
        )


def database_in_use() -> bool:
    # A fresh instance may not even have tables yet (`flask db upgrade` not run).
    tables = set(inspect(db.engine).get_table_names())
    return any(
        model.__tablename__ in tables and db.session.scalar(select(model.id).limit(1)) is not None
        for model in IN_USE_BY
    )


def place_database(source: str, target: str) -> None:
    """Put the backup's database file at `target`, leaving nothing of the old one beside it."""
    # Pooled connections would keep the old file (and its WAL) open under the new one.
    db.session.remove()
    db.engine.dispose()
    os.makedirs(os.path.dirname(target), exist_ok=True)
    # Copied beside the target, then renamed: the target is never a half-written file.
    temp = f"{target}.restoring"
    shutil.copyfile(source, temp)
    # A WAL left by the old database would be replayed into the new file and corrupt it.
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target + suffix)
    os.replace(temp, target)

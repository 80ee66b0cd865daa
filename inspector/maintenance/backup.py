"""Backing up a SQLite, local-storage instance into a folder described by a manifest."""

import hashlib
import json
import os
import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from urllib.parse import quote

from flask import current_app

from inspector.extensions import db
from inspector.maintenance import MaintenanceError
from inspector.maintenance.objects import is_temp
from inspector.storage import LocalStorage

DATABASE_FILE = "inspector.sqlite3"
PHOTOS_FOLDER = "photos"
MANIFEST_FILE = "manifest.json"
FORMAT = "inspector-backup/1"


def backup(dest: str) -> dict:
    """Copy the database and the photos into `dest` (new or empty); return the manifest."""
    database, storage = sqlite_path(), local_storage()
    prepare_destination(dest, storage.root)
    # Database first, photos second: files are written before their rows and the app
    # never deletes a referenced file, so every photo row in the snapshot finds its files.
    copy_database(database, os.path.join(dest, DATABASE_FILE))
    photo_files = copy_photos(storage.root, os.path.join(dest, PHOTOS_FOLDER))
    manifest = make_manifest(os.path.join(dest, DATABASE_FILE), photo_files)
    # Written last, so a folder without a manifest is known to be an unfinished backup.
    with open(os.path.join(dest, MANIFEST_FILE), "w", encoding="utf-8") as out:
        json.dump(manifest, out, ensure_ascii=False, indent=2)
    return manifest


def sqlite_path() -> str:
    """Return the app's SQLite file; MaintenanceError for any other database."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise MaintenanceError(
            f"The database is {url.get_backend_name()}, not SQLite: back it up and restore "
            "it with its own tools (pg_dump, pg_restore); see docs/deploy.md."
        )
    if not url.database or url.database == ":memory:":
        raise MaintenanceError("The database is in memory: there is no file to back up.")
    return os.path.abspath(url.database)


def local_storage() -> LocalStorage:
    """Return the app's storage if it is a local folder; MaintenanceError otherwise."""
    storage = current_app.extensions["inspector.storage"]
    if not isinstance(storage, LocalStorage):
        raise MaintenanceError(
            f"Photos are kept in {type(storage).__name__}, not a local folder: protect them "
            "with bucket versioning or replication; see docs/deploy.md."
        )
    return storage


def prepare_destination(dest: str, photos_root: str) -> None:
    """Create `dest`, or accept it if it is an empty folder outside the photos."""
    # Copying the photo tree into a folder inside it would copy the copy, and so on.
    if os.path.commonpath([os.path.abspath(dest), photos_root]) == photos_root:
        raise MaintenanceError(f"{dest} is inside the photos folder; choose another place.")
    if not os.path.exists(dest):
        os.makedirs(dest)
    elif not os.path.isdir(dest) or os.listdir(dest):
        raise MaintenanceError(f"{dest} is not an empty folder; choose a new one.")


def copy_database(source: str, target: str) -> None:
    """Snapshot a live SQLite database with the online backup API and check the copy."""
    if not os.path.isfile(source):
        raise MaintenanceError(f"There is no database at {source}.")
    # mode=rw: a mistyped path must fail, not create an empty database to back up.
    live = sqlite3.connect(f"file:{quote(source)}?mode=rw", uri=True)
    with closing(live), closing(sqlite3.connect(target)) as copy:
        # One step (pages=-1) reads everything in a single read transaction: a
        # consistent snapshot, and under WAL the app's writers are not blocked.
        live.backup(copy)
        # Rollback-journal mode makes the copy one self-contained file.
        copy.execute("PRAGMA journal_mode=DELETE")
        verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
    if verdict != "ok":
        raise MaintenanceError(f"The database copy fails its integrity check: {verdict}")


def copy_photos(source_root: str, target_root: str) -> int:
    """Copy the photo folder tree (without temp files); return how many files it holds."""
    os.makedirs(target_root, exist_ok=True)
    if os.path.isdir(source_root):
        # copy2 keeps modification times, which the sweeper's grace period relies on.
        shutil.copytree(
            source_root,
            target_root,
            ignore=lambda _folder, names: [name for name in names if is_temp(name)],
            dirs_exist_ok=True,
        )
    return count_files(target_root)


def count_files(root: str) -> int:
    return sum(len(files) for _folder, _dirs, files in os.walk(root))


def file_sha256(path: str) -> str:
    with open(path, "rb") as source:
        return hashlib.file_digest(source, "sha256").hexdigest()


def make_manifest(database_copy: str, photo_files: int) -> dict:
    """Describe a backup: when, which schema, what it holds and the database's checksum."""
    revision, tables = describe_database(database_copy)
    return {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "schema_revision": revision,
        "database": {
            "file": DATABASE_FILE,
            "bytes": os.path.getsize(database_copy),
            "sha256": file_sha256(database_copy),
        },
        "tables": tables,
        "photo_files": photo_files,
    }


def describe_database(path: str) -> tuple[str | None, dict[str, int]]:
    """Return the Alembic revision of the SQLite file at `path` and its rows per table."""
    with closing(sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True)) as conn:
        names = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        tables = {name: count_rows(conn, name) for name in names}
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    return revision, tables


def count_rows(conn: sqlite3.Connection, table: str) -> int:
    # Table names come from the backup's own sqlite_master, quoted as an identifier.
    quoted = table.replace('"', '""')
    return conn.execute(f'SELECT count(*) FROM "{quoted}"').fetchone()[0]  # nosec B608

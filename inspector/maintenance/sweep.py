"""Deleting stored photo and document files no database row refers to, once they are old enough."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import select

from inspector.extensions import db
from inspector.maintenance.objects import iter_objects, iter_temp_files
from inspector.models import DocumentArchive, Photo, StoredFile


class Swept(NamedTuple):
    key: str
    kind: str  # "orphan" (an object with no row) or "temp" (an interrupted write)
    modified: datetime


def sweep(storage, grace: timedelta, now: datetime, *, dry_run: bool = False) -> Iterator[Swept]:
    """Delete orphans and temp files older than `grace`, yielding each once it is gone."""
    # Found in full before the first delete, so deleting never disturbs the listing.
    for item in list(find_sweepable(storage, now - grace)):
        if not dry_run:
            storage.delete(item.key)
        yield item


def find_sweepable(storage, cutoff: datetime) -> Iterator[Swept]:
    """Yield the orphans and temporary files last modified before `cutoff`."""
    # List the objects first and read the keys after: an upload writes its objects
    # before its row commits, so any row committed by the time we ask is seen, and an
    # object whose row is still in flight is younger than the cutoff.
    old_objects = [item for item in iter_objects(storage) if item.modified < cutoff]
    if old_objects:
        referenced = referenced_keys()
        for item in old_objects:
            if item.key not in referenced:
                yield Swept(item.key, "orphan", item.modified)
    for item in iter_temp_files(storage):
        if item.modified < cutoff:
            yield Swept(item.key, "temp", item.modified)


def referenced_keys() -> set[str]:
    """Return every storage key a Photo or StoredFile row or an evidence archive refers to."""
    keys: set[str] = set()
    # A connection of its own, closed at once: in a command SQLite takes the write lock
    # at BEGIN, and holding it while files are deleted would stall every upload.
    with db.engine.connect() as connection:
        rows = connection.execute(select(Photo.original_key, Photo.display_key, Photo.thumb_key))
        for row in rows:
            keys.update(row)
        keys.update(connection.scalars(select(StoredFile.key)))
        archives = connection.execute(
            select(DocumentArchive.file_key).where(DocumentArchive.file_key.is_not(None))
        )
        keys.update(key for (key,) in archives)
    return keys

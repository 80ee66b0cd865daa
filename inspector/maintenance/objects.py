"""Listing what a storage backend holds, with modification times, for the sweeper."""

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import NamedTuple

from inspector.maintenance import MaintenanceError
from inspector.storage import LocalStorage

# LocalStorage.save writes "<folder>/.<random>.part" and renames it into place.
TEMP_PREFIX, TEMP_SUFFIX = ".", ".part"


class StoredObject(NamedTuple):
    key: str
    modified: datetime  # timezone-aware, UTC


def iter_objects(storage) -> Iterator[StoredObject]:
    """Yield every object in `storage` (never LocalStorage's temporary files)."""
    if isinstance(storage, LocalStorage):
        return (item for item in walk_local(storage.root) if not is_temp(item.key))
    # Remote backends list themselves (key, last modified): a bucket is their business.
    lister = getattr(storage, "iter_objects", None)
    if lister is None:
        raise MaintenanceError(f"{type(storage).__name__} cannot list its objects.")
    return (StoredObject(key, modified) for key, modified in lister())


def iter_temp_files(storage) -> Iterator[StoredObject]:
    """Yield the temporary files interrupted writes left behind (local storage only)."""
    # Object stores write whole objects or nothing, so only folders have leftovers.
    if not isinstance(storage, LocalStorage):
        return iter(())
    return (item for item in walk_local(storage.root) if is_temp(item.key))


def walk_local(root: str) -> Iterator[StoredObject]:
    """Yield each file under `root` as a "/"-separated key relative to it."""
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            try:
                mtime = os.stat(path).st_mtime
            except FileNotFoundError:
                continue  # renamed or removed by a writer since the listing
            key = os.path.relpath(path, root).replace(os.sep, "/")
            yield StoredObject(key, datetime.fromtimestamp(mtime, UTC))


def is_temp(key: str) -> bool:
    name = key.rsplit("/", 1)[-1]
    return name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)

"""Photo storage: the local backend, its key rules and the factory that picks a backend."""

import io
import os

import pytest

from inspector import storage
from inspector.storage import LocalStorage, make_storage

KEY = "photos/ab/abcdef0123/display.jpg"


@pytest.fixture
def local(tmp_path):
    return LocalStorage(str(tmp_path / "photos"))


@pytest.mark.parametrize("data", [b"\xff\xd8jpeg bytes", io.BytesIO(b"\xff\xd8jpeg bytes")])
def test_save_open_delete_round_trip(local, data):
    assert not local.exists(KEY)
    local.save(KEY, data, "image/jpeg")
    assert local.exists(KEY)
    with local.open(KEY) as stored:
        assert stored.read() == b"\xff\xd8jpeg bytes"
    local.delete(KEY)
    assert not local.exists(KEY)
    local.delete(KEY)  # deleting what is gone is not an error


def test_files_land_under_the_root(local, tmp_path):
    local.save(KEY, b"x", "image/jpeg")
    assert (
        tmp_path / "photos" / "photos" / "ab" / "abcdef0123" / "display.jpg"
    ).read_bytes() == b"x"
    assert os.stat(local.path(KEY)).st_mode & 0o644 == 0o644  # a web server may read it


def test_save_replaces_and_leaves_no_temporary_files(local):
    local.save(KEY, b"old", "image/jpeg")
    local.save(KEY, b"new", "image/jpeg")
    with local.open(KEY) as stored:
        assert stored.read() == b"new"
    assert os.listdir(os.path.dirname(local.path(KEY))) == ["display.jpg"]


def test_save_writes_beside_the_target_then_renames(local, monkeypatch):
    renames = []

    def replace(source, target):
        # At the moment of the rename the target does not exist yet, and the
        # complete data sits in a hidden file in the same folder.
        assert not os.path.exists(target)
        assert os.path.dirname(source) == os.path.dirname(target)
        assert os.path.basename(source).startswith(".")
        with open(source, "rb") as partial:
            assert partial.read() == b"complete"
        renames.append(target)
        real_replace(source, target)

    real_replace = os.replace
    monkeypatch.setattr(storage.os, "replace", replace)
    local.save(KEY, b"complete", "image/jpeg")
    assert renames == [local.path(KEY)]


def test_failed_save_keeps_the_old_file_and_cleans_up(local):
    local.save(KEY, b"old", "image/jpeg")

    class Broken(io.BytesIO):
        def read(self, *args):
            raise OSError("connection reset")

    with pytest.raises(OSError, match="connection reset"):
        local.save(KEY, Broken(b"new"), "image/jpeg")
    with local.open(KEY) as stored:
        assert stored.read() == b"old"
    assert os.listdir(os.path.dirname(local.path(KEY))) == ["display.jpg"]


def test_open_missing_key_raises_file_not_found(local):
    with pytest.raises(FileNotFoundError):
        local.open(KEY)


@pytest.mark.parametrize(
    "key",
    [
        "../x",
        "photos/../../etc/passwd",
        "photos/..",
        "/abs",
        "/etc/passwd",
        "a\\b",
        "..\\x",
        "",
        "photos//x.jpg",
        "photos/./x.jpg",
        "photos/",
        "photos/x\x00.jpg",
    ],
)
@pytest.mark.parametrize("method", ["save", "open", "delete", "exists"])
def test_unsafe_keys_are_refused(local, key, method, tmp_path):
    args = (key, b"x", "image/jpeg") if method == "save" else (key,)
    with pytest.raises(ValueError, match="unsafe storage key"):
        getattr(local, method)(*args)
    assert list(tmp_path.iterdir()) == []


def test_factory_picks_local_storage_under_the_instance_folder(tmp_path):
    for config in ({}, {"STORAGE": "local"}):
        backend = make_storage(config, str(tmp_path))
        assert isinstance(backend, LocalStorage)
        assert backend.root == str(tmp_path / "photos")


def test_factory_refuses_an_unknown_backend(tmp_path):
    with pytest.raises(ValueError, match="unknown STORAGE 'ftp'; choose one of: local"):
        make_storage({"STORAGE": "ftp"}, str(tmp_path))

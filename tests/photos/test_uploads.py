"""The upload path does each thing once: the checksum is taken while the body arrives, and a
worker decodes a bounded number of photos at once, however small."""

import hashlib
import io
import threading
import uuid

import pytest

from inspector.errors import BusyError
from inspector.extensions import db
from inspector.models import Photo, Role
from inspector.photos import images, services
from inspector.photos.budget import PixelBudget
from inspector.photos.uploads import SPOOL_BYTES, HashingSpool
from tests.images import jpeg_bytes


def test_the_spool_hashes_what_is_written_and_goes_to_disk_only_when_large():
    data = bytes(range(256)) * 4096  # 1 MB
    with HashingSpool() as small, HashingSpool() as large:
        small.write(data[:1000])
        for start in range(0, len(data), 65536):
            large.write(data[start : start + 65536])
        assert small.sha256 == hashlib.sha256(data[:1000]).hexdigest() and not small._rolled
        assert large.sha256 == hashlib.sha256(data).hexdigest() and large._rolled
        assert len(data) > SPOOL_BYTES
        large.seek(0)
        assert large.read() == data  # the spool still holds the bytes to decode and store


def test_an_upload_is_not_read_again_to_hash_it(api, monkeypatch):
    def no_second_pass(*args, **kwargs):
        raise AssertionError("the upload was read again only to hash it")

    monkeypatch.setattr(images.hashlib, "file_digest", no_second_pass)
    monkeypatch.setattr(services.hashlib, "file_digest", no_second_pass)
    api.as_role(Role.INSPECTOR)
    data, ident = jpeg_bytes((2000, 1500)), str(uuid.uuid4())
    for expected in (201, 200):  # the retry is answered from the checksum too
        answer = api.put(
            f"/api/v1/photos/{ident}",
            data={"file": (io.BytesIO(data), "p.jpg")},
            content_type="multipart/form-data",
        )
        assert answer.status_code == expected, answer.text
        assert answer.json["sha256"] == hashlib.sha256(data).hexdigest()
    assert db.session.query(Photo).one().sha256 == hashlib.sha256(data).hexdigest()


def test_a_worker_decodes_only_so_many_photos_at_once_however_small():
    budget = PixelBudget(pixels=60_000_000, queue=0, decoders=1)
    with budget.room(2_000_000), pytest.raises(BusyError), budget.room(2_000_000):
        pass  # plenty of pixels left, but the one decoder is busy and nobody may wait
    with budget.room(2_000_000):  # free again
        assert budget.decoding == 1
    assert budget.decoding == 0 and budget.free == budget.capacity


def test_the_app_takes_the_decoder_count_from_its_settings(app):
    assert app.extensions["inspector.pixel_budget"].decoders == app.config["PHOTO_DECODERS"]


def test_a_photos_three_copies_are_saved_at_once_and_a_failure_is_raised():
    """Each save waits on the disk or the network: three at once take as long as the slowest."""
    started = threading.Barrier(3, timeout=5)  # broken (an error) unless all three overlap

    class Store:
        saved = []

        def save(self, key, data, content_type):
            started.wait()
            if key == "bad":
                raise OSError("disk full")
            self.saved.append(key)

    store = Store()
    services.save_together(store, ("a", b"1", "image/jpeg"), ("b", b"2", "image/jpeg"),
                           ("c", b"3", "image/jpeg"))  # fmt: skip
    assert sorted(store.saved) == ["a", "b", "c"]
    started.reset()
    with pytest.raises(OSError, match="disk full"):
        services.save_together(store, ("d", b"1", "x"), ("bad", b"2", "x"), ("e", b"3", "x"))

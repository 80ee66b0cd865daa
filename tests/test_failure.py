"""Data safety under failure (ASVS V11/V12): connections cut mid-upload and after the commit,
and workers killed mid-upload, with clients retrying. Afterwards every photo and inspection
exists exactly once, no row is half-written, and the sweeper leaves only what rows point to."""

import json
import os
import signal
import socket
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from inspector import create_app
from inspector.extensions import db
from inspector.maintenance.objects import iter_objects, iter_temp_files
from inspector.maintenance.sweep import sweep
from inspector.models import Inspection, Photo
from tests import factories
from tests.conftest import TEST_CONFIG
from tests.images import jpeg_bytes
from tests.postgres import free_port
from tests.test_scale_out import call, multipart, start_server, wait_until_up


@pytest.fixture
def server(tmp_path, migrated_db, monkeypatch):
    """gunicorn (as `make run` starts it) on a SQLite instance with a site and a token."""
    instance = tmp_path / "instance"
    instance.mkdir()
    database = instance / "inspector.sqlite3"
    database.write_bytes(Path(migrated_db).read_bytes())
    env = {
        **os.environ,
        "INSPECTOR_INSTANCE_PATH": str(instance),
        "INSPECTOR_SECRET_KEY": "failure-test",
    }
    monkeypatch.setenv("INSPECTOR_INSTANCE_PATH", str(instance))  # the server's photos, too
    app = create_app({**TEST_CONFIG, "DATABASE_URL": f"sqlite:///{database}"})
    with app.app_context():
        factories.new_site(department=factories.new_department(code="d"), code="S1")
        checklist = factories.new_checklist()
        token = factories.new_token(factories.new_user(role="inspector", username="field"))
        db.session.commit()
        port = free_port()
        process = start_server(env, port)
        try:
            wait_until_up(port)
            yield {"app": app, "port": port, "process": process, "token": token,
                   "checklist": checklist.id, "instance": instance}  # fmt: skip
        finally:
            process.terminate()
            process.wait(timeout=30)
            db.session.remove()
            db.engine.dispose()


def raw_request(port, method, path, token, body, content_type, send=None, read=True):
    """Send a request by hand: all of the body, or only `send` bytes of it, then maybe close."""
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head + body[: len(body) if send is None else send])
        if read:
            return sock.recv(65536)
    return None  # closed without waiting for the answer


def workers(arbiter):
    """PIDs of the gunicorn arbiter's worker processes."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == arbiter:
            found.append(int(stat.parent.name))
    return found


def kill_workers(server):
    """SIGKILL every worker, then wait until the arbiter has started new ones that answer."""
    killed = set(workers(server["process"].pid))
    for pid in killed:
        os.kill(pid, signal.SIGKILL)
    wait_for(lambda: (now := set(workers(server["process"].pid))) and not now & killed)
    wait_until_up(server["port"])


def kill_while_processing(server, path, body, content_type):
    """Send a whole upload, then kill the workers once one of them is at work on it."""
    pids = workers(server["process"].pid)
    before = cpu_ticks(pids)
    raw_request(server["port"], "PUT", path, server["token"], body, content_type, read=False)
    wait_for(lambda: cpu_ticks(pids) > before)
    kill_workers(server)


def wait_for(condition, deadline=10):
    """Poll `condition` until it holds (an event to wait for, not a guess at how long it takes)."""
    end = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the awaited condition never held")
        time.sleep(0.01)


def cpu_ticks(pids):
    """User and system CPU ticks the processes have used (from /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total


def retry_until_stored(server, method, path, body, content_type):
    for _ in range(20):
        try:
            status, answer = call(server["port"], method, path, server["token"], body, content_type)
        except OSError:
            time.sleep(0.3)
            continue
        if status in (200, 201):
            return answer
        time.sleep(0.3)
    raise AssertionError(f"{method} {path} never succeeded")


def inspection_body(checklist, photo):
    return json.dumps({
        "template": checklist, "site": "S1", "started_at": "2026-11-23T02:00:00Z",
        "responses": [{"item": "documents", "answer": "fail", "photos": [photo]}],
        "submit": False,
    }).encode()  # fmt: skip


def test_cuts_and_killed_workers_lose_and_double_nothing(server):
    port, token = server["port"], server["token"]
    photo = jpeg_bytes((4032, 3024))  # big enough that processing it takes a while
    stored_photos, stored_inspections = [], []
    for round_number, failure in enumerate(["cut mid-body", "cut after sending", "kill mid-body",
                                            "kill after sending"]):  # fmt: skip
        photo_id, inspection_id = str(uuid.uuid4()), str(uuid.uuid4())
        body, content_type = multipart(photo[:-2] + bytes([round_number, 0xD9]))
        path = f"/api/v1/photos/{photo_id}"
        if failure == "cut mid-body":
            raw_request(
                port, "PUT", path, token, body, content_type, send=len(body) // 2, read=False
            )
        elif failure == "cut after sending":
            raw_request(port, "PUT", path, token, body, content_type, read=False)
        elif failure == "kill mid-body":
            with socket.create_connection(("127.0.0.1", port)) as sock:
                head = (
                    f"PUT {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                    f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
                )
                sock.sendall(head.encode() + body[: len(body) // 2])
                kill_workers(server)
        else:
            kill_while_processing(server, path, body, content_type)
        retry_until_stored(server, "PUT", path, body, content_type)
        # The inspection that uses it, cut after sending, then retried.
        payload = inspection_body(server["checklist"], photo_id)
        ipath = f"/api/v1/inspections/{inspection_id}"
        raw_request(port, "PUT", ipath, token, payload, "application/json", read=False)
        retry_until_stored(server, "PUT", ipath, payload, "application/json")
        stored_photos.append(photo_id)
        stored_inspections.append(inspection_id)

    app = server["app"]
    with app.app_context():
        db.session.remove()
        photos = db.session.scalars(select(Photo)).all()
        assert sorted(p.uuid for p in photos) == sorted(stored_photos)  # each exactly once
        assert db.session.scalar(select(func.count()).select_from(Inspection)) == 4
        for inspection in db.session.scalars(select(Inspection)):
            assert inspection.uuid in stored_inspections
            assert [len(r.photos) for r in inspection.responses] == [1]  # complete, not half
        # Every row's files exist; after the sweeper, no file without a row remains.
        storage = app.extensions["inspector.storage"]
        later = datetime.now(UTC) + timedelta(days=2)
        list(sweep(storage, timedelta(hours=1), later))
        keys = {key for p in photos for key in (p.original_key, p.display_key, p.thumb_key)}
        left = {item.key for item in iter_objects(storage)} | {
            item.key for item in iter_temp_files(storage)
        }
        assert left == keys

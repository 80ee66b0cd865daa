"""The worker as a real process: killed mid-delivery it loses nothing, and `make run`'s script
serves the app with the worker beside it, an event reaching a webhook within 15 s."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from inspector import create_app
from inspector.auth import tokens
from inspector.database import own_write_transaction
from inspector.extensions import db
from inspector.models import Event, Role, User
from tests import factories
from tests.conftest import TEST_CONFIG
from tests.notifications.records import deliveries_of, open_finding, register
from tests.notifications.sinks import wait_until
from tests.postgres import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def clean_environment(**settings):
    """This process's environment without INSPECTOR_* settings, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTOR_")}
    env.update({f"INSPECTOR_{k}": v if isinstance(v, str) else json.dumps(v)
                for k, v in settings.items()})  # fmt: skip
    return env


def start_worker(app, log):
    """`flask --app inspector worker` on the app's database and queue."""
    settings = {
        "DATABASE_URL": app.config["DATABASE_URL"],
        "QUEUE_NAME": app.config["QUEUE_NAME"],
        "INSTANCE_PATH": app.instance_path,
        "SECRET_KEY": "worker-test-secret",
        # Long enough to kill it while it waits on the receiver; the hold of a killed worker
        # runs out soon after, so its delivery goes again.
        "DELIVERY_TIMEOUT": 20,
        "DELIVERY_HOLD_SECONDS": 3,
        "DELIVERY_RETRY_DELAYS": [0.3, 0.6],
        "QUEUE_POLL_SECONDS": 0.1,
        "DAILY_HOUR": 24,
    }
    if app.config["QUEUE_URL"]:
        settings["QUEUE_URL"] = app.config["QUEUE_URL"]
    return subprocess.Popen(  # noqa: S603  (our own command)
        [str(BIN / "flask"), "--app", "inspector", "worker", "--workers", "2"],
        cwd=ROOT, env=clean_environment(**settings), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def test_killing_the_worker_mid_delivery_loses_nothing(app, api, make_sink, tmp_path):
    sink = make_sink()
    sink.slow.set()  # the receiver holds the first request: the worker is mid-delivery
    hook = register(api, sink.url(), ["finding.opened"])
    site = factories.new_site()
    api.as_role(Role.INSPECTOR)
    log = (tmp_path / "worker.log").open("w")
    worker = start_worker(app, log)
    try:
        open_finding(api, site, "第一处")
        sink.wait_for(1, timeout=30)
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        sink.slow.clear()
        sink.release.set()
        open_finding(api, site, "第二处")  # while no worker runs at all
        worker = start_worker(app, log)
        wait_until(
            lambda: [i["status"] for i in deliveries_of(api, hook)] == ["delivered"] * 2,
            timeout=30,
        )
    finally:
        worker.kill()
        worker.wait(10)
        log.close()
    # A receiver that dedups by delivery id sees each event once; nothing was lost.
    seen = {}
    for request in sink.requests:
        seen.setdefault(request.headers["X-Inspector-Delivery"], request.json)
    assert sorted(body["data"]["title"] for body in seen.values()) == ["第一处", "第二处"]
    assert len(sink.requests) >= 3  # the first one twice: killed once, then delivered


@pytest.fixture
def instance(tmp_path, seeded_sqlite):
    """A copy of the seeded demo database and its photos, as `make run` leaves them."""
    database, photos = seeded_sqlite
    folder = tmp_path / "instance"
    shutil.copytree(photos, folder, dirs_exist_ok=True)
    shutil.copy(database, folder / "inspector.sqlite3")
    return folder


def admin_token(instance):
    app = create_app({**TEST_CONFIG, "DATABASE_URL": f"sqlite:///{instance / 'inspector.sqlite3'}"})
    with app.app_context():
        wait_until(  # the worker has fanned out the demo's own events before we subscribe
            lambda: (
                db.session.rollback()
                or db.session.scalar(select(Event.id).where(Event.dispatched_at.is_(None))) is None
            ),
            timeout=30,
        )
        with own_write_transaction():  # BEGIN IMMEDIATE: waits while the worker writes
            admin = db.session.scalar(select(User).where(User.username == "admin"))
            token = tokens.create_token(None, admin, "test")
        db.engine.dispose()
    return token


def call(port, token, method, path, body):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1{path}", data=json.dumps(body).encode(), method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310  (loopback)
        return json.loads(answer.read())


def test_make_run_serves_the_app_and_the_worker_and_ctrl_c_stops_both(
    instance, make_sink, tmp_path
):
    sink, port = make_sink(), free_port()
    env = clean_environment(INSTANCE_PATH=str(instance), SECRET_KEY="run-test-secret")
    env.update(BIN=str(BIN), PORT=str(port))
    log = (tmp_path / "serve.log").open("w")
    serve = subprocess.Popen(  # noqa: S603  (the script make run runs)
        ["bash", str(ROOT / "scripts/serve")], cwd=ROOT, env=env, stdout=log,
        stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        wait_until(lambda: answers(port), timeout=60, interval=0.2)
        token = admin_token(instance)
        call(port, token, "POST", "/webhooks", {"url": sink.url(), "events": ["finding.opened"]})
        changed = time.monotonic()
        call(port, token, "PUT", f"/findings/{uuid.uuid4()}", {"site": "A-301", "title": "堆物"})
        [got] = sink.wait_for(1, timeout=15)
        latency = got.at - changed
        assert latency < 15
        print(f"event to webhook sink: {latency:.2f} s")  # noqa: T201  (reported by -s)
        os.killpg(serve.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's group
        assert serve.wait(30) is not None
        wait_until(lambda: not group_alive(serve.pid), timeout=30)
    finally:
        if group_alive(serve.pid):
            os.killpg(serve.pid, signal.SIGKILL)
        log.close()


def answers(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as page:  # noqa: S310
            return page.status == 200
    except OSError:
        return False


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True

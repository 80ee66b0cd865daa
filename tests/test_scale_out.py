"""Two app servers on one PostgreSQL and one S3 bucket: clients retrying through both at
once store every inspection and photo exactly once."""

import http.client
import json
import os
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from inspector import create_app
from inspector.extensions import db
from tests import factories
from tests.conftest import TEST_CONFIG, plain_client
from tests.images import jpeg_bytes
from tests.postgres import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLIENTS = 12


@pytest.fixture
def shared(postgres, s3_server, bucket, tmp_path):
    """A PostgreSQL database and an S3 bucket that both servers share."""
    os.makedirs(tmp_path / "instance", exist_ok=True)
    name = f"scale_out_{uuid.uuid4().hex[:8]}"
    postgres.execute(f"CREATE DATABASE {name} TEMPLATE inspector_template")
    env = {
        **os.environ,
        "INSPECTOR_DATABASE_URL": postgres.url(name),
        "INSPECTOR_INSTANCE_PATH": str(tmp_path / "instance"),
        "INSPECTOR_SECRET_KEY": "scale-out-test",
        "INSPECTOR_STORAGE": "s3",
        "INSPECTOR_S3_BUCKET": bucket,
        "INSPECTOR_S3_ENDPOINT_URL": s3_server.url,
    }
    app = create_app({**TEST_CONFIG, "DATABASE_URL": postgres.url(name)})
    with app.app_context():
        factories.new_site(department=factories.new_department(code="d"), code="S1")
        checklist = factories.new_checklist()
        token = factories.new_token(factories.new_user(role="inspector", username="field"))
        db.session.commit()
        yield {
            "env": env,
            "token": token,
            "checklist": checklist.id,
            "app": app,
            "s3": plain_client(s3_server),
            "bucket": bucket,
        }
        db.session.remove()
        db.engine.dispose()
    postgres.execute(f"DROP DATABASE {name} WITH (FORCE)")


def start_server(env, port):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--threads",
        "4",
        "--worker-class",
        "gthread",
        "wsgi:app",
    ]
    log = open(os.path.join(env["INSPECTOR_INSTANCE_PATH"], f"server-{port}.log"), "wb")  # noqa: SIM115
    # The log sits in the shared folder, next to photos/: evidence when this test fails.
    with log:  # the server keeps its own copy of the descriptor
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)


def wait_until_up(port, deadline=30):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/api/v1/openapi.json")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
        finally:
            connection.close()
    raise TimeoutError(f"server on {port} did not start")


def call(port, method, path, token, body, content_type):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(
            method,
            path,
            body=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


def call_as_a_phone(port, method, path, token, body, content_type):
    """call(), retrying a 503 busy as the phone's send queue does (after a shorter wait)."""
    for _ in range(30):
        status, answer = call(port, method, path, token, body, content_type)
        if status != 503:
            return status, answer
        time.sleep(0.5)
    return status, answer


def multipart(data):
    boundary = uuid.uuid4().hex
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
    ).encode()
    return (
        body + data + f"\r\n--{boundary}--\r\n".encode(),
        f"multipart/form-data; boundary={boundary}",
    )


def test_clients_retrying_through_two_servers_store_everything_once(shared):
    ports = [free_port(), free_port()]
    servers = [start_server(shared["env"], port) for port in ports]
    try:
        for port in ports:
            wait_until_up(port)
        results = run_clients(shared, ports)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
    statuses = [status for result in results for status in result]
    # Busy workers may answer 503 with Retry-After (PHOTO_DECODERS): the phone tries again.
    assert set(statuses) <= {200, 201}, statuses
    from inspector.models import Inspection, Photo, Response

    counts = (
        db.session.query(Inspection).count(),
        db.session.query(Photo).count(),
        db.session.query(Response).count(),
    )
    assert counts == (CLIENTS, CLIENTS, CLIENTS * 9)
    listing = shared["s3"].list_objects_v2(Bucket=shared["bucket"])
    keys = [item["Key"] for item in listing.get("Contents", [])]
    assert len(keys) == len(set(keys)) == CLIENTS * 3  # original, display, thumbnail each


def run_clients(shared, ports):
    """Each client uploads a photo and submits an inspection through both servers at once."""
    from tests.factories import ALL_PASS

    def client(number):
        photo, inspection = str(uuid.uuid4()), str(uuid.uuid4())
        body, content_type = multipart(jpeg_bytes((800, 600), (number * 20 % 255, 80, 80)))
        statuses = []
        with ThreadPoolExecutor(2) as pool:
            for status, _ in pool.map(
                lambda port: call_as_a_phone(
                    port, "PUT", f"/api/v1/photos/{photo}", shared["token"], body, content_type
                ),
                ports,
            ):
                statuses.append(status)
        responses = [{**r, "photos": [photo]} if r["item"] == "windows" else r for r in ALL_PASS]
        payload = json.dumps(
            {
                "template": shared["checklist"],
                "site": "S1",
                "submit": True,
                "started_at": "2026-11-23T09:00:00+08:00",
                "responses": responses,
            }
        ).encode()
        with ThreadPoolExecutor(2) as pool:
            for status, _ in pool.map(
                lambda port: call(
                    port,
                    "PUT",
                    f"/api/v1/inspections/{inspection}",
                    shared["token"],
                    payload,
                    "application/json",
                ),
                ports,
            ):
                statuses.append(status)
        return statuses

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(client, range(CLIENTS)))

"""A Monday-morning sync storm: many phones send a week of work at once, on loopback.

    .venv/bin/python bench/sync_storm.py [--phones 50] [--inspections 10] [--photos 3]
                                         [--database sqlite|postgresql] [--json out.json]

Each simulated phone (a thread, with its own inspector account and token) sends its
inspections as the field app's send queue does: every photo first (`PUT /api/v1/photos/{id}`,
a 1600 px JPEG of about 400 KB, the size phones send after shrinking), then the inspection
that refers to them (`PUT /api/v1/inspections/{id}`, submitted). One request in ten is cut:
half lose the connection halfway through the body, half after sending it all but before the
answer (so the server did the work); either way the phone sends the same request again, as
it does after a lost reply. 503 and 429 answers are sent again after their Retry-After.
Meanwhile a supervisor polls the week's score sheet and `GET /api/v1/me`.

Reported: the total time against the photo-processing limit (photos x one photo's Pillow time
in this process / CPU cores: no server can do the image work faster), errors (final answers
that are not 2xx: target 0), duplicates (rows beyond one per id sent: target 0), the sheet's
numbers against the inspections sent, p50 / p99 of the polls (target p99 <= 250 ms) and the
peak resident memory of each gunicorn worker (target <= 300 MB).
"""

import argparse
import contextlib
import http.client
import io
import json
import os
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.serving import GUNICORN_ARGS, gunicorn  # noqa: E402

CUT_SHARE = 0.10
TARGETS = {"poll_p99_ms": 250, "worker_rss_mb": 300}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=50)
    parser.add_argument("--inspections", type=int, default=10, help="per phone")
    parser.add_argument("--photos", type=int, default=3, help="per inspection")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--threads", type=int, help="gunicorn threads per worker (default: as make run)"
    )
    parser.add_argument("--json", help="also write the figures to this file (for make bench)")
    return parser.parse_args()


# --- the photos phones send ------------------------------------------------------------------


def phone_photos(count=4, target=400_000):
    """`count` different 1600x1200 JPEGs of about `target` bytes, like a shrunk phone photo."""
    from PIL import Image, ImageFilter

    photos = []
    for number in range(count):
        noise = Image.effect_noise((1600, 1200), 60 + number * 5).filter(
            ImageFilter.GaussianBlur(1)
        )
        gradient = Image.linear_gradient("L").resize((1600, 1200))
        img = Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5)))
        low, high = 30, 95
        while low < high:  # the quality that lands closest under the target size
            quality = (low + high + 1) // 2
            out = io.BytesIO()
            img.save(out, "JPEG", quality=quality)
            low, high = (quality, high) if out.tell() <= target else (low, quality - 1)
        out = io.BytesIO()
        img.save(out, "JPEG", quality=low)
        photos.append(out.getvalue())
    return photos


def pillow_ms(photo, runs=5):
    """One photo's processing time in this process: the work no server can avoid."""
    from inspector.photos.images import process_photo

    process_photo(photo)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        process_photo(photo)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


# --- the instance ----------------------------------------------------------------------------


def prepare(instance, phones, database_url=None):
    """A migrated instance with a site, the office checklist, phone and supervisor tokens."""
    os.environ["INSPECTOR_INSTANCE_PATH"] = str(instance)
    os.environ.setdefault("INSPECTOR_SECRET_KEY", "bench-" + os.urandom(16).hex())
    if database_url:
        os.environ["INSPECTOR_DATABASE_URL"] = database_url
    import flask_migrate

    from inspector import create_app
    from inspector.extensions import db
    from inspector.models import Role
    from tests import factories

    app = create_app()
    with app.app_context():
        flask_migrate.upgrade()
        factories.new_site(code="S1")
        checklist = factories.new_checklist().id
        tokens = [
            factories.new_token(factories.new_user(username=f"phone{n}")) for n in range(phones)
        ]
        supervisor = factories.new_token(factories.new_user(role=Role.SUPERVISOR, username="boss"))
        db.session.commit()
        db.engine.dispose()
    return app, checklist, tokens, supervisor


def counts(app):
    """Rows stored: inspections, photos, and the sheet's count of inspections."""
    from sqlalchemy import func, select

    from inspector.extensions import db
    from inspector.models import DepartmentTotal, Inspection, Photo

    with app.app_context():
        found = (
            db.session.scalar(select(func.count()).select_from(Inspection)),
            db.session.scalar(select(func.count(func.distinct(Inspection.uuid)))),
            db.session.scalar(select(func.count()).select_from(Photo)),
            db.session.scalar(select(func.count(func.distinct(Photo.uuid)))),
            db.session.execute(
                select(DepartmentTotal.day, func.sum(DepartmentTotal.inspections))
                .where(DepartmentTotal.span == "day")
                .group_by(DepartmentTotal.day)
            ).all(),
        )
        db.session.remove()
        db.engine.dispose()
    return found


# --- the phones ------------------------------------------------------------------------------


def multipart(data):
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    return (
        head + data + f"\r\n--{boundary}--\r\n".encode(),
        f"multipart/form-data; boundary={boundary}",
    )


def inspection_body(checklist, photo_ids):
    from tests.factories import ALL_PASS, replace

    responses = replace(ALL_PASS, "documents", answer="fail", photos=photo_ids)
    return json.dumps(
        {"template": checklist, "site": "S1", "started_at": datetime.now(UTC).isoformat(),
         "responses": responses, "submit": True}
    ).encode()  # fmt: skip


def cut(port, method, path, headers, body, halfway):
    """Send a request and drop the connection: halfway through the body, or before the answer."""
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(head.encode() + (body[: len(body) // 2] if halfway else body))


class Phone:
    def __init__(self, port, token, rng, log):
        self.port, self.token, self.rng, self.log = port, token, rng, log

    def send(self, method, path, body, content_type):
        """Send until a final answer, as the send queue does; return its status."""
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": content_type}
        while True:
            if self.rng.random() < CUT_SHARE:
                halfway = self.rng.random() < 0.5
                with contextlib.suppress(OSError):
                    cut(self.port, method, path, headers, body, halfway)
                self.log.append(("cut halfway" if halfway else "cut before answer", 0, 0))
                continue
            started = time.monotonic()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status, retry_after = response.status, response.getheader("Retry-After")
                connection.close()
            except OSError:
                self.log.append(("connection error", 0, time.monotonic() - started))
                time.sleep(0.5)
                continue
            self.log.append((method, status, time.monotonic() - started))
            if status in (429, 503):
                time.sleep(min(float(retry_after or 1), 5) * (0.5 + self.rng.random()))
                continue
            return status

    def run(self, checklist, photos, inspections, per_inspection, results):
        for _ in range(inspections):
            ids = []
            for _ in range(per_inspection):
                ident = str(uuid.uuid4())
                body, content_type = multipart(self.rng.choice(photos))
                results.append(self.send("PUT", f"/api/v1/photos/{ident}", body, content_type))
                ids.append(ident)
            body = inspection_body(checklist, ids)
            path = f"/api/v1/inspections/{uuid.uuid4()}"
            results.append(self.send("PUT", path, body, "application/json"))


def poll(port, token, stop, polls):
    """Poll the sheet and /me until `stop` (at least once): the days around today, whatever
    the server's time zone."""
    first, last = date.today() - timedelta(days=1), date.today() + timedelta(days=1)
    paths = {"sheet": f"/api/v1/scores?from={first}&to={last}", "me": "/api/v1/me"}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while True:
        for name, path in paths.items():
            started = time.monotonic()
            try:
                connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
                response = connection.getresponse()
                body = response.read()
                polls.append((name, response.status, time.monotonic() - started, body))
            except OSError:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                polls.append((name, 0, time.monotonic() - started, b""))
        if stop.wait(0.2):
            break
    connection.close()


def warm_up(port, token):
    """Each worker's first requests (imports, first queries) are not part of the storm: the
    cold start has its own benchmark (bench/cold_start.py)."""
    polls, stop = [], threading.Event()
    stop.set()
    for _ in range(8):
        poll(port, token, stop, polls)


def worker_peaks(port):
    """Peak resident memory (VmHWM, MB) of each gunicorn process serving `port`."""
    peaks = {}
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if f"127.0.0.1:{port}".encode() not in cmdline.read_bytes():
                continue
            status = (cmdline.parent / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        peaks[cmdline.parent.name] = {
            "ppid": int(fields["PPid"]),
            "peak_mb": round(int(fields["VmHWM"].split()[0]) / 1024),
        }
    pids = set(peaks)
    # Workers are the children of the arbiter (which is itself one of the processes here).
    return sorted(p["peak_mb"] for p in peaks.values() if str(p["ppid"]) in pids)


# --- the storm -------------------------------------------------------------------------------


def storm(args, instance, database_url=None):
    photos = phone_photos()
    app, checklist, tokens, supervisor = prepare(instance, args.phones, database_url)
    one_photo_ms = pillow_ms(photos[0])
    total_photos = args.phones * args.inspections * args.photos
    limit_s = total_photos * one_photo_ms / 1000 / (os.cpu_count() or 1)
    log, results, polls, stop = [], [], [], threading.Event()
    serving = list(GUNICORN_ARGS)
    if args.threads:
        serving[serving.index("--threads") + 1] = str(args.threads)
    with gunicorn(instance=instance, args=serving) as port:
        warm_up(port, supervisor)
        poller = threading.Thread(target=poll, args=(port, supervisor, stop, polls))
        phones = [
            threading.Thread(
                target=Phone(port, token, random.Random(n), log).run,
                args=(checklist, photos, args.inspections, args.photos, results),
            )
            for n, token in enumerate(tokens)
        ]
        poller.start()
        started = time.monotonic()
        for phone in phones:
            phone.start()
        for phone in phones:
            phone.join()
        total_s = time.monotonic() - started
        stop.set()
        poller.join()
        final = []
        poll(port, supervisor, stop, final)
        peaks = worker_peaks(port)
    inspections, distinct_inspections, photo_rows, distinct_photos, in_totals = counts(app)
    expected = args.phones * args.inspections
    sheet = [
        json.loads(body) for name, status, _, body in final if name == "sheet" and status == 200
    ]
    counted = sum(row["inspections"] for row in sheet[-1]["departments"]) if sheet else None
    return {
        "database": args.database,
        "gunicorn": " ".join(serving),
        "phones": args.phones,
        "inspections": expected,
        "photos": total_photos,
        "photo_bytes": statistics.mean(len(p) for p in photos),
        "one_photo_ms": round(one_photo_ms, 1),
        "cores": os.cpu_count(),
        "limit_s": round(limit_s, 1),
        "total_s": round(total_s, 1),
        "ratio": round(total_s / limit_s, 2),
        "errors": sum(1 for status in results if not 200 <= status < 300),
        "final_statuses": dict(Counter(str(s) for s in results)),
        "requests": dict(
            Counter(f"{kind} {status}" if status else kind for kind, status, _ in log)
        ),
        "duplicates": (inspections - distinct_inspections)
        + (photo_rows - distinct_photos)
        + max(0, inspections - expected)
        + max(0, photo_rows - total_photos),
        "stored": {"inspections": inspections, "photos": photo_rows},
        "sheet_inspections_at_end": counted,
        "totals_inspections": {str(day): count for day, count in in_totals},
        "polls": poll_figures(polls),
        "worker_peak_rss_mb": peaks,
    }


def poll_figures(polls):
    figures = {}
    for name in ("sheet", "me"):
        times = sorted(seconds * 1000 for kind, _, seconds, _ in polls if kind == name)
        statuses = Counter(str(status) for kind, status, _, _ in polls if kind == name)
        figures[name] = {
            "count": len(times),
            "statuses": dict(statuses),
            "p50_ms": round(statistics.median(times), 1) if times else None,
            "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1)
            if times
            else None,
        }
    times = sorted(seconds * 1000 for _, _, seconds, _ in polls)
    figures["all"] = {
        "p50_ms": round(statistics.median(times), 1),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1),
    }
    return figures


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="inspector-storm-") as folder:
        if args.database == "postgresql":
            from tests.postgres import ThrowawayPostgres

            postgres = ThrowawayPostgres().start()
            try:
                postgres.execute("CREATE DATABASE storm")
                figures = storm(args, Path(folder), postgres.url("storm"))
            finally:
                postgres.stop()
        else:
            figures = storm(args, Path(folder))
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()

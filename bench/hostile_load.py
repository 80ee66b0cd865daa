"""Availability under hostile uploads: 8 parallel uploads of a one-colour 7745×7745 PNG (a
small file that decodes to 180 MB) against gunicorn on SQLite, as `make run` serves it.

    .venv/bin/python bench/hostile_load.py [--uploads 8] [--json out.json]

While the uploads run, four probers, each on its own thread, repeat one call each:
`GET /api/v1/me` (a read), `PUT` of a small draft inspection (a write), a small photo upload (a
640×480 JPEG), and `GET /api/v1/me` with a wrong token (a read whose failure the throttle must
write down; 20 of them, under the throttle's limit). Uploads answered 503 are sent again
after their Retry-After, as the phone's send queue does, until every one is stored. The figures
are the slowest and median answer of each call, every status seen, and how long until all the
hostile uploads were stored.
"""

import argparse
import http.client
import io
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.serving import gunicorn  # noqa: E402

# Wrong tokens sent: under the throttle's 30 per address, after which everyone from this address
# (the probes and uploads too) would be answered 429.
WRONG_TOKENS = 20
PROBES = ("GET /api/v1/me", "PUT a draft inspection", "small photo upload",
          "GET /api/v1/me, wrong token")  # fmt: skip


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=8, help="hostile uploads at once")
    parser.add_argument("--json", help="also write the figures to this file (for make bench)")
    return parser.parse_args()


def hostile_png():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (7745, 7745), (200, 30, 30)).save(out, "PNG", compress_level=9)
    return out.getvalue()


def small_jpeg(number):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (640, 480), (number % 256, 90, 160)).save(out, "JPEG", quality=85)
    return out.getvalue()


def prepare(instance):
    """A migrated SQLite instance with a site, a checklist, an inspector and their token."""
    import os

    os.environ["INSPECTOR_INSTANCE_PATH"] = str(instance)
    os.environ.setdefault("INSPECTOR_SECRET_KEY", "bench-" + os.urandom(16).hex())
    import flask_migrate

    from inspector import create_app
    from inspector.extensions import db
    from tests import factories

    app = create_app()
    with app.app_context():
        flask_migrate.upgrade()
        factories.new_site(code="S1")
        checklist = factories.new_checklist().id
        token = factories.new_token(factories.new_user(username="field"))
        db.session.commit()
        db.engine.dispose()
    return token, checklist


def draft(checklist, number):
    """A small draft inspection: a write that touches no photo."""
    return json.dumps({
        "template": checklist, "site": "S1", "started_at": "2026-11-23T09:00:00+08:00",
        "responses": [{"item": "windows", "answer": number % 3}], "submit": False,
    }).encode()  # fmt: skip


def multipart(data, name="p.png"):
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return head + data + tail, f"multipart/form-data; boundary={boundary}"


def call(port, method, path, token, body=None, content_type=None):
    """(status, seconds, Retry-After) of one request on a new connection."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Bearer {token}"}
    if content_type:
        headers["Content-Type"] = content_type
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started, response.getheader("Retry-After")
    finally:
        connection.close()


def upload_until_stored(port, token, body, content_type, log):
    """Send one hostile upload, again after each 503 or 429, as the phone does."""
    started, path = time.monotonic(), f"/api/v1/photos/{uuid.uuid4()}"
    while True:
        status, seconds, retry_after = call(port, "PUT", path, token, body, content_type)
        log.append(("hostile upload", status, seconds))
        if status not in (503, 429):
            return status, time.monotonic() - started
        time.sleep(min(float(retry_after or 1), 5))


def probe(port, token, checklist, stop, log, label):
    """Repeat one kind of call until `stop`, each on its own thread: a stalled write must not
    hold up the reads."""
    number = 0
    while not stop.is_set():
        number += 1
        if label == "GET /api/v1/me":
            args = ("GET", "/api/v1/me", token)
        elif label == "PUT a draft inspection":
            path = f"/api/v1/inspections/{uuid.uuid4()}"
            args = ("PUT", path, token, draft(checklist, number), "application/json")
        elif label == "small photo upload":
            path = f"/api/v1/photos/{uuid.uuid4()}"
            args = ("PUT", path, token, *multipart(small_jpeg(number), "s.jpg"))
        elif number <= WRONG_TOKENS:
            args = ("GET", "/api/v1/me", f"wrong-{number}")
        else:
            return
        status, seconds, _ = call(port, *args)
        log.append((label, status, seconds))
        time.sleep(0.3 if args[2] != token else 0.1)


def run(uploads):
    png = hostile_png()
    body, content_type = multipart(png)
    with tempfile.TemporaryDirectory(prefix="inspector-hostile-") as folder:
        token, checklist = prepare(Path(folder))
        with gunicorn(instance=Path(folder)) as port:
            call(port, "GET", "/api/v1/me", token)  # both workers' first requests are slower
            log, stop = [], threading.Event()
            probers = [
                threading.Thread(target=probe, args=(port, token, checklist, stop, log, label))
                for label in PROBES
            ]
            started = time.monotonic()
            for prober in probers:
                prober.start()
            with ThreadPoolExecutor(uploads) as pool:
                results = list(
                    pool.map(
                        lambda _: upload_until_stored(port, token, body, content_type, log),
                        range(uploads),
                    )
                )
            stored_after = time.monotonic() - started
            stop.set()
            for prober in probers:
                prober.join()
            peak_mb = peak_rss_mb(port)
    return summary(png, results, stored_after, log, peak_mb)


def peak_rss_mb(port):
    """The largest peak resident memory (VmHWM) among the processes serving `port`."""
    peaks = [0]
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if f"127.0.0.1:{port}".encode() not in cmdline.read_bytes():
                continue
            status = (cmdline.parent / "status").read_text()
        except OSError:
            continue
        peaks += [int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")]
    return round(max(peaks) / 1024)


def summary(png, results, stored_after, log, peak_mb):
    figures = {
        "png_bytes": len(png),
        "worker_peak_rss_mb": peak_mb,
        "all_stored_s": round(stored_after, 2),
        "final_statuses": dict(Counter(str(status) for status, _ in results)),
        "calls": {},
    }
    for label in (*PROBES, "hostile upload"):
        rows = [(status, seconds) for name, status, seconds in log if name == label]
        times = [seconds for _, seconds in rows]
        figures["calls"][label] = {
            "count": len(rows),
            "statuses": dict(Counter(str(status) for status, _ in rows)),
            "median_ms": round(statistics.median(times) * 1000, 1) if times else None,
            "max_ms": round(max(times) * 1000, 1) if times else None,
        }
    return figures


def main():
    args = parse_args()
    figures = run(args.uploads)
    print(f"Hostile PNG: {figures['png_bytes'] / 1024:.0f} KB; {args.uploads} uploads at once.")
    print(f"All stored after {figures['all_stored_s']} s: {figures['final_statuses']}")
    print(f"Largest worker peak RSS: {figures['worker_peak_rss_mb']} MB")
    print("| call | count | statuses | median ms | slowest ms |")
    print("|---|---:|---|---:|---:|")
    for label, row in figures["calls"].items():
        statuses = ", ".join(f"{n}× {s}" for s, n in sorted(row["statuses"].items()))
        print(f"| {label} | {row['count']} | {statuses} | {row['median_ms']} | {row['max_ms']} |")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()

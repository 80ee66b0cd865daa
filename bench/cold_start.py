"""Cold start: how long after gunicorn starts the first request is answered, and what it costs.

    .venv/bin/python bench/cold_start.py [--runs 3] [--json out.json]

On a migrated SQLite instance with a token, for each run: start gunicorn as `make run` does
(2 workers x 32 threads), send `GET /api/v1/me` as soon as the port accepts connections and
time its answer from the start of the process ("start to first answer": the worker's imports
and create_app, then the request), then the same request again (steady). Then, in fresh
Python processes: the time to import the app (`import wsgi`), and the first and second
request through the test client right after create_app (what the first request does that
later ones do not), for `/api/v1/me` and the year score sheet.
"""

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.serving import GUNICORN_ARGS, free_port, instance_with_token  # noqa: E402

TARGET_S = 1.0
IN_PROCESS = r"""
import json, sys, time
started = time.perf_counter()
import wsgi
imported = time.perf_counter() - started
client = wsgi.app.test_client()
headers = {"Authorization": "Bearer " + sys.argv[1]}
times = {"import wsgi (create_app)": imported}
for label, path in (("/api/v1/me", "/api/v1/me"),
                    ("year sheet", "/api/v1/scores?from=2026-01-01&to=2026-12-31")):
    for attempt in ("first", "second"):
        begin = time.perf_counter()
        response = client.get(path, headers=headers)
        assert response.status_code == 200, response.status_code
        times[f"{label}, {attempt} request"] = time.perf_counter() - begin
print(json.dumps(times))
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", help="also write the figures to this file (for make bench)")
    return parser.parse_args()


def get(port, token, timeout=60):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def served(env, token):
    """(seconds from spawning gunicorn to the first answer, seconds of a second request)."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}"]
    started = time.monotonic()
    server = subprocess.Popen(
        [*command, *GUNICORN_ARGS, "wsgi:app"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
    )
    try:
        while True:
            try:
                status = get(port, token)
                break
            except ConnectionRefusedError:
                time.sleep(0.01)
        first = time.monotonic() - started
        if status != 200:
            raise RuntimeError(f"/api/v1/me answered {status}")
        begin = time.monotonic()
        get(port, token)
        return first, time.monotonic() - begin
    finally:
        server.terminate()
        server.wait(timeout=30)


def in_process(env, token):
    out = subprocess.run(
        [sys.executable, "-c", IN_PROCESS, token],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="inspector-cold-") as folder:
        env, token = instance_with_token(Path(folder), role="supervisor")
        runs = [served(env, token) for _ in range(args.runs)]
        steps = [in_process(env, token) for _ in range(args.runs)]
    figures = {
        "start_to_first_answer_s": round(statistics.median(r[0] for r in runs), 2),
        "second_request_ms": round(statistics.median(r[1] for r in runs) * 1000, 1),
        "in_process_ms": {
            name: round(statistics.median(step[name] for step in steps) * 1000, 1)
            for name in steps[0]
        },
        "target_s": TARGET_S,
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()

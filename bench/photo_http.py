"""A 12 MP JPEG through `PUT /api/v1/photos/{id}` over HTTP, against plain Pillow, same run.

    .venv/bin/python bench/photo_http.py [--runs 8] [--json out.json]

gunicorn serves a migrated SQLite instance as `make run` does; each run sends the photo once
(sequentially, a new id each time) and, interleaved, runs the plain-Pillow pipeline of
bench/photo_pipeline.py in this process (decode at reduced size with draft, orientation,
1600 px and 320 px JPEGs with the same settings): the ratio of the medians is what HTTP,
multipart parsing, checksums, storage (three files, fsync) and the database add to the
image work no server can skip. Then one upload is profiled in-process (test client, cProfile)
and its time split into stages, for docs/benchmarks.md.
"""

import argparse
import cProfile
import http.client
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.photo_pipeline import make_photo, phone_exif, pillow_pipeline  # noqa: E402
from bench.serving import gunicorn, instance_with_token  # noqa: E402

TARGET = 1.3
# Where the profiled time goes, by the function that spends it (cProfile's own time).
STAGES = {
    "decode (JPEG, at 1/2 scale)": ("decode",),
    "resize (1600 px, 320 px)": ("resize", "reduce"),
    "encode (two JPEGs)": ("encode",),
    "orientation": ("transpose",),
    "fsync (three files, folders)": ("fsync",),
    "spool and storage writes": ("write",),
    "reads": ("read", "readinto"),
    "checksum": ("update",),
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--json", help="also write the figures to this file (for make bench)")
    return parser.parse_args()


def camera_jpeg():
    out = io.BytesIO()
    make_photo().save(out, "JPEG", quality=88, exif=phone_exif())
    return out.getvalue()


def multipart(data):
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    body = head + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def put(port, token, data):
    body, content_type = multipart(data)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    connection.request(
        "PUT",
        f"/api/v1/photos/{uuid.uuid4()}",
        body=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": content_type},
    )
    response = connection.getresponse()
    response.read()
    seconds = time.perf_counter() - started
    connection.close()
    if response.status != 201:
        raise RuntimeError(f"upload answered {response.status}")
    return seconds


def over_http(data, token, instance, runs):
    pillow_pipeline(data)
    http_times, pillow_times = [], []
    with gunicorn(instance=instance) as port:
        put(port, token, data)
        put(port, token, data)  # both workers have decoded a photo once
        for _ in range(runs):
            http_times.append(put(port, token, data))
            started = time.perf_counter()
            pillow_pipeline(data)
            pillow_times.append(time.perf_counter() - started)
    return statistics.median(http_times) * 1000, statistics.median(pillow_times) * 1000


def profile(data, token):
    """Seconds per stage of one upload in-process, and the whole request."""
    from inspector import create_app

    app = create_app()
    client = app.test_client()

    def upload():
        response = client.put(
            f"/api/v1/photos/{uuid.uuid4()}",
            data={"file": (io.BytesIO(data), "p.jpg")},
            headers={"Authorization": f"Bearer {token}"},
            content_type="multipart/form-data",
        )
        assert response.status_code == 201, response.text

    upload()
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    upload()
    profiler.disable()
    total = time.perf_counter() - started
    stats = pstats.Stats(profiler).stats
    stages = dict.fromkeys(STAGES, 0.0)
    for (_file, _line, name), (_calls, _primitive, own, _cumulative, _callers) in stats.items():
        for stage, names in STAGES.items():
            if (
                any(name == f"<method '{n}' of" or name.startswith(f"<method '{n}'") for n in names)
                or name.startswith("<built-in method")
                and any(f".{n}>" in name for n in names)
            ):
                stages[stage] += own
    stages = {stage: round(seconds * 1000, 1) for stage, seconds in stages.items()}
    stages["everything else (Flask, multipart parsing, database, Python)"] = round(
        total * 1000 - sum(stages.values()), 1
    )
    return round(total * 1000, 1), stages


def main():
    args = parse_args()
    data = camera_jpeg()
    with tempfile.TemporaryDirectory(prefix="inspector-photo-http-") as folder:
        env, token = instance_with_token(Path(folder))
        os.environ.update(env)
        http_ms, pillow_ms = over_http(data, token, Path(folder), args.runs)
        total_ms, stages = profile(data, token)
    figures = {
        "input_bytes": len(data),
        "http_ms": round(http_ms, 1),
        "pillow_ms": round(pillow_ms, 1),
        "ratio": round(http_ms / pillow_ms, 2),
        "target": TARGET,
        "profiled_request_ms": total_ms,
        "stages_ms": stages,
    }
    print(json.dumps(figures, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()

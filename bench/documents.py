"""Benchmark the documents: the 通报 as PDF and DOCX, and the year's archive of N inspections.

    .venv/bin/python bench/documents.py [--inspections 5000] [--keep] [--json FILE]

Makes a fresh instance folder under /tmp with the demo data (`seed-demo`: departments, sites,
checklists, photos), then copies the demo's submitted inspections, answers and photo links
until there are N submitted inspections in 2026, spread over the year. Each copy keeps its
photos, so every inspection report embeds real JPEGs. Then it times one 通报 as PDF and as
DOCX for the year in-process, and runs `flask --app inspector archive 2026` in its own
process, reporting its wall time, CPU time and peak memory (the child's max RSS) and the size
of the ZIP. Results: docs/benchmarks.md, "Documents".
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere, without installing
FLASK = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "inspector"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inspections", type=int, default=5000, help="submitted in 2026")
    parser.add_argument("--keep", action="store_true", help="keep the instance folder")
    parser.add_argument("--json", help="write the figures to this file")
    return parser.parse_args()


def flask(env, *args):
    return subprocess.run([*FLASK, *args], env=env, cwd=ROOT, check=True, capture_output=True)


def fill(app, count):
    """Copy the demo's submitted inspections until `count` are submitted in 2026."""
    from sqlalchemy import func, select

    from inspector.extensions import db
    from inspector.models import Inspection, Response, ResponsePhoto

    with app.app_context():
        models = db.session.scalars(
            select(Inspection).where(Inspection.status.in_(("submitted", "approved")))
        ).all()
        have = db.session.scalar(select(func.count()).select_from(Inspection))
        random.seed(2026)
        start = datetime(2026, 1, 1, 1, tzinfo=UTC)
        for n in range(max(0, count - len(models))):
            model = random.choice(models)
            moment = start + timedelta(minutes=random.randrange(330 * 24 * 60))
            copy = Inspection(
                uuid=str(uuid.UUID(int=random.getrandbits(128))),
                checklist_id=model.checklist_id,
                site_id=model.site_id,
                department_id=model.department_id,
                inspector_id=model.inspector_id,
                status=model.status,
                started_at=moment - timedelta(minutes=12),
                submitted_at=moment,
                earned=model.earned,
                possible=model.possible,
                percent=model.percent,
                critical_failed=model.critical_failed,
            )
            for response in model.responses:
                answer = Response(
                    item_id=response.item_id,
                    answer=response.answer,
                    note=response.note,
                    earned=response.earned,
                    possible=response.possible,
                    failed=response.failed,
                )
                answer.photos = [
                    ResponsePhoto(photo_id=link.photo_id, position=link.position)
                    for link in response.photos
                ]
                copy.responses.append(answer)
            db.session.add(copy)
            if n % 500 == 499:
                db.session.commit()
        db.session.commit()
        total = db.session.scalar(select(func.count()).select_from(Inspection)) - have
        return total + len(models)


def time_bulletins(app):
    from flask_babel import force_locale
    from sqlalchemy import select

    from inspector.documents.files import bulletin_context, render_bulletin
    from inspector.extensions import db
    from inspector.models import User

    figures = {}
    with app.test_request_context(), force_locale("zh"):
        user = db.session.scalar(select(User).where(User.username == "supervisor"))
        render_bulletin(bulletin_context(user, date(2026, 6, 1), date(2026, 6, 30), False), "pdf")
        for kind in ("pdf", "docx"):
            started = time.perf_counter()
            context = bulletin_context(user, date(2026, 1, 1), date(2026, 12, 31), False)
            body = render_bulletin(context, kind)
            figures[kind] = {"ms": (time.perf_counter() - started) * 1000, "bytes": len(body)}
    return figures


# A parent of its own for the archive run, so that its children's max RSS is that run's alone.
MEASURED = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
    "r = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(r.ru_maxrss, r.ru_utime + r.ru_stime)"
)


def run_archive(env, folder):
    output = folder / "archive-2026.zip"
    started = time.perf_counter()
    command = [*FLASK, "archive", "2026", "-o", str(output), "--as", "supervisor"]
    measured = subprocess.run(
        [sys.executable, "-c", MEASURED, *command],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    wall = time.perf_counter() - started
    peak_kb, cpu = measured.stdout.split()[-2:]
    with zipfile.ZipFile(output) as archive:
        names = archive.namelist()
    return {
        "seconds": wall,
        "cpu_seconds": float(cpu),
        "peak_rss_mb": int(peak_kb) / 1024,
        "zip_mb": output.stat().st_size / 1e6,
        "reports": sum(name.startswith("inspections/") for name in names),
        "files": len(names),
    }


def main():
    args = parse_args()
    folder = Path(tempfile.mkdtemp(prefix="inspector-bench-documents-"))
    env = {**os.environ, "INSPECTOR_INSTANCE_PATH": str(folder), "INSPECTOR_SECRET_KEY": "bench"}
    os.environ.update(env)
    try:
        flask(env, "db", "upgrade")
        flask(env, "seed-demo")
        from inspector import create_app

        app = create_app()
        count = fill(app, args.inspections)
        figures = {"inspections": count, "bulletin": time_bulletins(app)}
        figures["archive"] = run_archive(env, folder)
        a = figures["archive"]
        print(f"{count} inspections: archive of {a['files']} files ({a['reports']} reports), "
              f"{a['zip_mb']:.0f} MB, in {a['seconds']:.0f} s ({a['cpu_seconds']:.0f} s CPU), "
              f"peak {a['peak_rss_mb']:.0f} MB RSS")  # fmt: skip
        for kind, row in figures["bulletin"].items():
            print(f"通报 of the year as {kind}: {row['ms']:.0f} ms, {row['bytes'] / 1024:.0f} KB")
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()

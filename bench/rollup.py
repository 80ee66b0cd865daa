"""Benchmark the score-sheet roll-ups on a year of generated inspections, served by gunicorn.

    .venv/bin/python bench/rollup.py [--sizes 10000,100000,1000000] [--years 1]
                                     [--responses 30] [--runs 30] [--keep]

For each size it makes a fresh instance folder under /tmp, runs the real migrations, loads
200 departments, 2,000 sites, a 30-item checklist and N inspections over 2026 (or over the
--years up to 2026; 30 responses each) with bulk inserts, then serves the app exactly like
`make run` (gunicorn, 2 workers x 32 threads, gthread) on a free loopback port and times
sequential requests: a trivial one, the score API for a year, a month and a week, the web
score sheet and the hot spots, and last the year again after closing it. Server time is
gunicorn's own request time (%(D)s in its access log); the roll-up functions are also timed
in-process, with a digest of their results to compare before and after a change, and the
query plans are printed. It prints a table per size and the growth of the year roll-up over
the sizes. The instance folders are deleted afterwards unless --keep. Results: see
docs/benchmarks.md, "Score-sheet roll-ups".
"""

import argparse
import functools
import hashlib
import http.client
import json
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere, without installing
from bench.serving import gunicorn  # noqa: E402

YEAR = 2026
DEPARTMENTS, SITES_PER_DEPARTMENT, INSPECTORS = 200, 10, 20
PASSWORD = "bench-Pa55word-2026"
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy's DateTime stores values in SQLite
PERIODS = {"year": ("2026-01-01", "2026-12-31"), "month": ("2026-06-01", "2026-06-30")}
PERIODS["week"] = ("2026-06-08", "2026-06-14")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000", help="inspection counts, comma-separated")
    parser.add_argument(
        "--responses", default="30", help="responses per inspection (one, or one per size)"
    )
    parser.add_argument(
        "--years", type=int, default=1, help="spread the inspections over the years up to 2026"
    )
    parser.add_argument("--runs", type=int, default=30, help="timed requests per row")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per row first")
    parser.add_argument("--max-seconds", type=float, default=30, help="cap per row (min 5 runs)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--json", help="also write the figures to this file (for make bench)")
    parser.add_argument("--keep", action="store_true", help="keep the instance folders")
    parser.add_argument("--tmp", default=tempfile.gettempdir(), help="where instances go")
    return parser.parse_args()


# --- the app, in this process -------------------------------------------------------------


def make_app(instance):
    """A real app on `instance`, configured like a deployment through the environment."""
    os.environ["INSPECTOR_INSTANCE_PATH"] = str(instance)
    os.environ.setdefault("INSPECTOR_SECRET_KEY", "bench-" + os.urandom(16).hex())
    from inspector import create_app

    return create_app()


def migrate(app):
    import flask_migrate

    with app.app_context():
        flask_migrate.upgrade()


# --- data -----------------------------------------------------------------------------------


def checklist_document():
    """30 scored items in 3 sections: checks (two critical), deductions and scales."""
    sections = []
    for number in range(3):
        items = []
        for index in range(10):
            key = f"item-{number * 10 + index:02d}"
            text = f"检查项 {number * 10 + index + 1}"
            if index < 7:
                item = {"key": key, "text": text, "type": "check", "points": 2 + index % 4}
                item["critical"] = number < 2 and index == 0
            elif index < 9:
                item = {"key": key, "text": text, "type": "deduct", "points": 5, "per": 1}
            else:
                item = {"key": key, "text": text, "type": "scale", "points": 4}
            items.append(item)
        sections.append({"title": f"第{number + 1}部分", "items": items})
    return {"code": "bench-weekly", "name": "基准检查表", "sections": sections}


def create_people_and_checklist(app):
    """A supervisor, inspectors, the checklist (through the real services) and an API token."""
    from inspector.auth import accounts, tokens
    from inspector.checklists.services import save_checklist
    from inspector.extensions import db
    from inspector.models import Role

    with app.app_context():
        supervisor = accounts.create_user(None, "bench-supervisor", PASSWORD, Role.SUPERVISOR)
        inspectors = [
            accounts.create_user(None, f"bench-inspector-{n:02d}", PASSWORD, Role.INSPECTOR)
            for n in range(1, INSPECTORS + 1)
        ]
        checklist = save_checklist(supervisor, checklist_document())
        db.session.flush()
        token = tokens.create_token(None, supervisor, label="bench")
        db.session.commit()
        items = [
            (item.id, item.type.value, item.points, item.per or 0, item.critical)
            for item in checklist.items
        ]
        return {
            "supervisor": supervisor.id,
            "inspectors": [user.id for user in inspectors],
            "checklist": checklist.id,
            "items": items,
            "token": token,
        }


@contextmanager
def bulk_connection(app):
    """A raw connection with load-only settings, and an insert(table, columns, rows) for it."""
    from inspector.extensions import db

    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            if db.engine.dialect.name == "sqlite":
                yield from sqlite_bulk(raw.cursor())
            else:
                yield from postgresql_bulk(raw)
        finally:
            raw.close()
        db.engine.dispose()


def sqlite_bulk(cursor):
    """No fsync, no journal, a big cache; executemany."""
    for pragma in ("synchronous=OFF", "journal_mode=OFF", "cache_size=-400000"):
        cursor.execute("PRAGMA " + pragma)
    cursor.execute("BEGIN")

    def insert(table, columns, rows):
        marks = ", ".join("?" * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    yield insert
    cursor.execute("COMMIT")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")


def postgresql_bulk(raw):
    """COPY in one transaction; then move the id sequences past the loaded ids and VACUUM ANALYZE,
    as autovacuum would soon after a load this size."""
    cursor = raw.cursor()
    cursor.execute("SET TIME ZONE 'UTC'")
    loaded = set()

    def insert(table, columns, rows):
        loaded.add(table)
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    yield insert
    for table in loaded:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
        )
    raw.commit()
    driver = raw.driver_connection  # the psycopg connection under SQLAlchemy's pool proxy
    driver.autocommit = True
    driver.execute("VACUUM ANALYZE")


def organisation_rows():
    now = datetime.now(UTC).strftime(SQLITE_TIME)
    kinds = ("office", "residential", "public")
    departments = [
        (d, f"bench-d{d:03d}", f"科室 {d:03d}", 1, now) for d in range(1, DEPARTMENTS + 1)
    ]
    sites = []
    for d in range(1, DEPARTMENTS + 1):
        for n in range(SITES_PER_DEPARTMENT):
            site = (d - 1) * SITES_PER_DEPARTMENT + n + 1
            sites.append(
                (site, f"bench-s{site:04d}", f"检查点 {site:04d}", kinds[n % 3], d, "", 1, 1, now)
            )
    return departments, sites


ANSWERS = {  # (JSON text, earned as a fraction of points or None, failed), by item type
    "check": [('"pass"', 1, False)] * 93 + [('"fail"', 0, True)] * 5 + [('"na"', None, False)] * 2,
    "deduct": [('{"count": 0}', 0, False)] * 85
    + [(f'{{"count": {n}}}', n, True) for n in (1, 2)] * 6
    + [('{"count": 6}', 6, True)] * 3,
    "scale": [(str(n), n, False) for n in (2, 3, 4, 4, 4)] + [('"na"', None, False)],
}
CRITICAL = [('"pass"', 1, False)] * 985 + [('"fail"', 0, True)] * 15


def answer_rows(rng, items, inspection_id, first_response_id, count):
    """Responses for one inspection and its (earned, possible, percent, critical) score."""
    from inspector.scoring import percent

    rows, earned, possible, critical = [], 0, 0, False
    for offset, (item_id, kind, points, per, is_critical) in enumerate(items[:count]):
        text, value, failed = rng.choice(CRITICAL if is_critical else ANSWERS[kind])
        if value is None:
            rows.append((first_response_id + offset, inspection_id, item_id, text, None, None, 0))
            # (id, inspection_id, item_id, answer, earned, possible, failed): RESPONSE_COLUMNS
            continue
        got = {"check": value * points, "scale": value}.get(kind, max(0, points - value * per))
        earned, possible = earned + got, possible + points
        critical = critical or (is_critical and failed)
        rows.append(
            (first_response_id + offset, inspection_id, item_id, text, got, points, int(failed))
        )
    return rows, (earned, possible, percent(earned, possible), int(critical))


def status_and_times(rng, start, span):
    """A status (85% approved, 10% submitted, 3% returned, 2% draft) and its timestamps."""
    submitted = start + timedelta(seconds=rng.random() * span)
    started = submitted - timedelta(minutes=rng.randint(5, 40))
    roll = rng.random()
    status = (
        "approved"
        if roll < 0.85
        else "submitted"
        if roll < 0.95
        else "returned"
        if roll < 0.98
        else "draft"
    )
    reviewed = (
        submitted + timedelta(hours=rng.randint(1, 72))
        if status in ("approved", "returned")
        else None
    )
    return status, started, None if status == "draft" else submitted, reviewed


def fmt(moment):
    return None if moment is None else moment.strftime(SQLITE_TIME)


def inspection_batches(rng, people, count, responses, years, batch=5000):
    """Yield (inspections, responses) row batches for `count` inspections up to 2026."""
    start = datetime(YEAR - years, 12, 31, 16, tzinfo=UTC)  # 1 January 00:00 in Asia/Shanghai
    span = (datetime(YEAR, 12, 31, 16, tzinfo=UTC) - start).total_seconds()
    sites = DEPARTMENTS * SITES_PER_DEPARTMENT
    next_response = 1
    for first in range(1, count + 1, batch):
        inspections, answers = [], []
        for inspection_id in range(first, min(first + batch, count + 1)):
            site = rng.randint(1, sites)
            status, started, submitted, reviewed = status_and_times(rng, start, span)
            rows, (earned, possible, pct, critical) = answer_rows(
                rng, people["items"], inspection_id, next_response, responses
            )
            next_response += len(rows)
            answers.extend(rows)
            inspections.append(
                (
                    inspection_id, f"00000000-0000-4000-8000-{inspection_id:012d}",
                    people["checklist"], site, (site - 1) // SITES_PER_DEPARTMENT + 1,
                    rng.choice(people["inspectors"]), status, fmt(started), fmt(submitted),
                    earned, possible, pct, critical,
                    people["supervisor"] if reviewed else None, fmt(reviewed), "",
                    fmt(started), fmt(reviewed or submitted or started),
                )
            )  # fmt: skip
        yield inspections, answers


INSPECTION_COLUMNS = (
    "id", "uuid", "checklist_id", "site_id", "department_id", "inspector_id", "status",
    "started_at", "submitted_at", "earned", "possible", "percent", "critical_failed",
    "reviewed_by_id", "reviewed_at", "review_comment", "created_at", "updated_at",
)  # fmt: skip
RESPONSE_COLUMNS = ("id", "inspection_id", "item_id", "answer", "earned", "possible", "failed")


def load(app, count, responses, years):
    """Fill the database; return the seconds it took and the API token."""
    started = time.perf_counter()
    people = create_people_and_checklist(app)
    departments, sites = organisation_rows()
    rng = random.Random(YEAR * 1000003 + count)
    with bulk_connection(app) as insert:
        insert("department", ("id", "code", "name", "active", "created_at"), departments)
        insert(
            "site",
            ("id", "code", "name", "kind", "department_id", "address", "expected_per_week",
             "active", "created_at"),
            sites,
        )  # fmt: skip
        for inspections, answers in inspection_batches(rng, people, count, responses, years):
            insert("inspection", INSPECTION_COLUMNS, inspections)
            insert("response", (*RESPONSE_COLUMNS, "note"), [(*row, "") for row in answers])
    # Raw inserts bypass the session hook that keeps the running totals: build them once, as
    # `flask rebuild-score-totals` (and the migration, on an existing database) does.
    rebuilding = time.perf_counter()
    rebuild_totals(app)
    print(f"(score totals rebuilt in {time.perf_counter() - rebuilding:.1f} s)")
    return time.perf_counter() - started, people["token"]


def rebuild_totals(app):
    from inspector.extensions import db
    from inspector.scores.totals import rebuild

    with app.app_context():
        rebuild(db.session.connection(), app.config["TIMEZONE"])
        db.session.commit()
        db.session.remove()


# --- in-process timings and query plans -----------------------------------------------------


def median_ms(function, runs, warmup=2):
    for _ in range(warmup):
        function()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def digest(value):
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:12]


def in_process(app, runs):
    """Median ms of the roll-up functions, a digest of their results, and the query plans."""
    from sqlalchemy import event

    from inspector.extensions import db
    from inspector.periods import parse_period
    from inspector.scores.history import sheet_with_history
    from inspector.scores.hotspots import hot_spots
    from inspector.scores.rollup import department_scores

    year = parse_period(str(YEAR))
    month = parse_period("2026-12")
    config = app.config
    calls = {
        "department_scores, year": lambda: department_scores(year.first, year.last, False, config),
        "department_scores, year, final": lambda: department_scores(
            year.first, year.last, True, config
        ),
        "department_scores, month": lambda: department_scores(
            *map(date.fromisoformat, PERIODS["month"]), False, config
        ),
        "department_scores, week": lambda: department_scores(
            *map(date.fromisoformat, PERIODS["week"]), False, config
        ),
        "sheet_with_history, year": lambda: sheet_with_history(year, False, config),
        "sheet_with_history, month 2026-12": lambda: sheet_with_history(month, False, config),
        "hot_spots, year": lambda: hot_spots(year.first, year.last, config),
    }
    statements = []
    config["SCORE_CACHE"] = False  # time the computation itself
    with app.app_context():
        listener = lambda *args: statements.append((args[2], args[3]))  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        results = {name: call() for name, call in calls.items()}
        event.remove(db.engine, "before_cursor_execute", listener)
        plans = query_plans(db.engine, statements) if db.engine.dialect.name == "sqlite" else {}
        times = {}
        for name, call in calls.items():
            slow = name.startswith("hot_spots")
            times[name] = median_ms(call, max(3, runs // 6) if slow else runs, 1 if slow else 2)
            db.session.remove()
        db.engine.dispose()
    config["SCORE_CACHE"] = True
    return times, digest(results), plans


def query_plans(engine, statements):
    """EXPLAIN QUERY PLAN of the distinct grouped statements that ran."""
    plans, seen = {}, set()
    with engine.connect() as connection:
        for sql, params in statements:
            if "GROUP BY" not in sql or sql in seen:
                continue
            seen.add(sql)
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()
            name = "hot spots" if "checklist.code" in sql else "department aggregate"
            plans[name] = [row[-1] for row in rows]
    return plans


# --- gunicorn and HTTP ----------------------------------------------------------------------


class Client:
    """One keep-alive connection to the server, with a cookie and/or a bearer token."""

    def __init__(self, port, token=None):
        self.port, self.token, self.cookie = port, token, None
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def request(self, method, path, body=None, headers=None):
        headers = {"Accept-Language": "en", **(headers or {})}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.cookie:
            headers["Cookie"] = self.cookie
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):
            # gunicorn closes keep-alive connections idle for 2 s: connect again.
            self.connection.close()
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        data = response.read()
        # The device cookie may come first (issue 13): look at each Set-Cookie.
        for header in response.headers.get_all("Set-Cookie") or []:
            match = re.match(r"(session=[^;]*)", header)
            if match:
                self.cookie = match.group(1)
        return response.status, data

    def login(self, username, password=PASSWORD):
        status, page = self.request("GET", "/login")
        csrf = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
        if status != 200 or not csrf:
            raise RuntimeError("no sign-in form")
        form = {"username": username, "password": password, "csrf_token": csrf.group(1).decode()}
        content_type = {"Content-Type": "application/x-www-form-urlencoded"}
        status, _ = self.request("POST", "/login", urllib.parse.urlencode(form), content_type)
        if status not in (302, 303):
            raise RuntimeError(f"sign-in answered {status}")

    def close(self):
        self.connection.close()


def scores_path(period, final=False):
    first, last = PERIODS[period]
    return f"/api/v1/scores?from={first}&to={last}" + ("&final=true" if final else "")


ROWS = [  # (label, client, path)
    ("GET /manifest.webmanifest (trivial, no auth)", "anonymous", "/manifest.webmanifest"),
    ("GET /api/v1/me (trivial, token)", "token", "/api/v1/me"),
    ("GET /api/v1/scores year", "token", scores_path("year")),
    ("GET /api/v1/scores year, final=true", "token", scores_path("year", True)),
    ("GET /api/v1/scores month", "token", scores_path("month")),
    ("GET /api/v1/scores week", "token", scores_path("week")),
    ("GET /scores/?period=2026 (web, +12-year trend)", "session", "/scores/?period=2026"),
    ("GET /scores/?period=2026-12 (web, +12-month trend)", "session", "/scores/?period=2026-12"),
    ("GET /scores/hotspots?period=2026", "session", "/scores/hotspots?period=2026"),
]
# Each timed after another process has changed the data, so nothing cached can be used. The
# trivial request too: right after a change the server wakes from idle to new data, and even
# it costs more than in a run of back-to-back requests (docs/benchmarks.md).
AFTER_CHANGE_ROWS = [
    ("GET /api/v1/me, after a change", "token", "/api/v1/me?x=2"),
    ("GET /api/v1/scores year, after a change", "token", scores_path("year") + "&x=2"),
    ("GET /scores/?period=2026, after a change", "session", "/scores/?period=2026&x=2"),
    (
        "GET /scores/hotspots?period=2026, after a change",
        "session",
        "/scores/hotspots?period=2026&x=2",
    ),
]
# Timed last, after closing 2026 (the extra parameter only tells the rows apart in the log).
CLOSED_ROW = ("GET /api/v1/scores year, closed (snapshot)", "token", scores_path("year") + "&x=1")
# The year sheet right after a change is compared with a trivial request in a run of
# back-to-back requests. Measured minutes apart, the two meet different moments of a shared
# machine (docs/benchmarks.md), so each sheet right after a change is paired with a
# back-to-back /me just before its change, and the target is read as the median of the
# pairs' own ratios, as /me's share of the hello is (bench/http_throughput.py).
PAIRED_ROW = AFTER_CHANGE_ROWS[1]
PAIRED_ME = ("GET /api/v1/me (back to back, paired with the sheet after a change)", "token",
             "/api/v1/me?x=3")  # fmt: skip


def time_requests(client, path, args, before=lambda: None):
    """Client-side ms of sequential requests after warm-ups; checks every answer is 200."""
    for _ in range(args.warmup):
        status, body = client.request("GET", path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {body[:200]!r}")
    times, started = [], time.monotonic()
    while len(times) < args.runs and (
        len(times) < 5 or time.monotonic() - started < args.max_seconds
    ):
        before()
        begin = time.perf_counter()
        status, body = client.request("GET", path)
        times.append((time.perf_counter() - begin) * 1000)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    return times, body


def server_times(log, path, skip):
    """gunicorn's request times (ms) for `path`, in order, without the first `skip`."""
    wanted = path if "?" in path else path + "?"
    times = []
    for line in Path(log).read_text().splitlines():
        method, logged, _status, micros = line.rsplit(" ", 3)
        if method == "GET" and logged == wanted:
            times.append(int(micros) / 1000)
    return times[skip:]


def count_a_change(app, back_to=None):
    """A change to scored data as a supervisor makes one: the first inspection approved, or
    back to submitted the next time (or set `back_to`), through the ORM like every write (its
    department's totals, the scores counter and the change log follow it). Returns the status
    it had."""
    from sqlalchemy import select

    from inspector.extensions import db
    from inspector.models import Inspection, InspectionStatus

    submitted, approved = InspectionStatus.SUBMITTED, InspectionStatus.APPROVED
    with app.app_context():
        inspection = db.session.scalar(
            select(Inspection)
            .where(Inspection.status.in_([submitted, approved]))
            .order_by(Inspection.id)
            .limit(1)
        )
        had = inspection.status
        inspection.status = back_to or (approved if had == submitted else submitted)
        db.session.commit()
        return had


def close_year(app):
    """Close 2026 like a supervisor would: its sheets are then served from the snapshot."""
    from sqlalchemy import select

    from inspector.extensions import db
    from inspector.models import User
    from inspector.periods import parse_period
    from inspector.scores.closing import close_period

    with app.app_context():
        supervisor = db.session.scalar(select(User).where(User.username == "bench-supervisor"))
        # Closed before it ends, as a supervisor may (the year is still running).
        close_period(supervisor, parse_period(str(YEAR)), app.config, date.today(), early=True)
        db.session.commit()
        db.engine.dispose()


def measure_http(instance, token, args, app):
    """Per row: client median and p90 ms, server median ms, samples; and the year answer."""
    log = Path(instance) / "access.log"
    results, year_answer = {}, None
    with gunicorn(instance=instance, log=log) as port:
        clients = {"anonymous": Client(port), "token": Client(port, token), "session": Client(port)}
        clients["session"].login("bench-supervisor")
        original = None
        for label, kind, path in [*ROWS, *AFTER_CHANGE_ROWS, CLOSED_ROW]:
            if (label, kind, path) == AFTER_CHANGE_ROWS[0]:
                original = count_a_change(app)
            if (label, kind, path) == CLOSED_ROW:
                count_a_change(app, back_to=original)  # the year as the first rows saw it
                close_year(app)
            before = lambda: None  # noqa: E731
            if (label, kind, path) in AFTER_CHANGE_ROWS:
                before = functools.partial(count_a_change, app)
            if (label, kind, path) == PAIRED_ROW:
                paired = {"client": [], "path": PAIRED_ME[2]}
                results[PAIRED_ME[0]] = paired
                before = functools.partial(paired_me, clients[PAIRED_ME[1]], paired, app)
            times, body = time_requests(clients[kind], path, args, before)
            results[label] = {"client": times, "path": path}
            if path == scores_path("year"):
                year_answer = json.loads(body)
        for client in clients.values():
            client.close()
    for label, row in results.items():
        row["server"] = server_times(log, row["path"], 0 if label == PAIRED_ME[0] else args.warmup)
    pairs = zip(results[PAIRED_ME[0]]["server"], results[PAIRED_ROW[0]]["server"], strict=True)
    results[PAIRED_ROW[0]]["pair_ratios"] = [sheet / me for me, sheet in pairs]
    return results, year_answer


def paired_me(client, row, app):
    """Before a timed sheet right after a change: /me twice, back to back, the second timed
    (as in a run of them: the first follows the last sheet), then the change."""
    for path in ("/api/v1/me?x=4", PAIRED_ME[2]):
        begin = time.perf_counter()
        status, _body = client.request("GET", path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    row["client"].append((time.perf_counter() - begin) * 1000)
    count_a_change(app)


# --- report ---------------------------------------------------------------------------------


def p90(values):
    return statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]


def print_table(results):
    trivial = statistics.median(results[ROWS[1][0]]["client"])
    trivial_server = statistics.median(results[ROWS[1][0]]["server"])
    print(
        "\n| request | n | median ms | p90 ms | × /api/v1/me"
        " | server median ms | × /api/v1/me (server) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, row in results.items():
        client, server = row["client"], row["server"]
        median, served = statistics.median(client), statistics.median(server)
        print(
            f"| {label} | {len(client)} | {median:.1f} | {p90(client):.1f} | "
            f"{median / trivial:.1f} | {served:.1f} | {served / trivial_server:.1f} |"
        )
    ratios = results[PAIRED_ROW[0]]["pair_ratios"]
    if len(ratios) < 2:
        return
    print(
        f"\n{PAIRED_ROW[0]} against the /me just before its change (server): median of "
        f"{len(ratios)} pairs' ratios {statistics.median(ratios):.1f}×, quartiles "
        + ", ".join(f"{q:.1f}×" for q in statistics.quantiles(ratios, n=4))
    )


def print_in_process(times, result_digest, plans):
    print("\n| in-process call | median ms |\n|---|---:|")
    for name, value in times.items():
        print(f"| {name} | {value:.1f} |")
    print(f"\nResult digest (identical before and after an optimisation): {result_digest}")
    for name, plan in plans.items():
        print(f"\nEXPLAIN QUERY PLAN, {name}:")
        for line in plan:
            print("   ", line)


def check_same(year_answer, app):
    """The API's year sheet equals department_scores in-process (closed: False added)."""
    from inspector.scores.rollup import department_scores

    with app.app_context():
        first, last = map(date.fromisoformat, PERIODS["year"])
        expected = department_scores(first, last, False, app.config)
    if {**expected, "closed": False} != year_answer:
        raise RuntimeError("the API's year sheet differs from department_scores")


def run_size(count, responses, args, postgres=None):
    instance = Path(tempfile.mkdtemp(prefix=f"inspector-bench-{count}-", dir=args.tmp))
    if postgres is not None:
        name = f"bench_{count}"
        postgres.execute(f"CREATE DATABASE {name}")
        os.environ["INSPECTOR_DATABASE_URL"] = postgres.url(name)
    try:
        app = make_app(instance)
        migrate(app)
        load_seconds, token = load(app, count, responses, args.years)
        size_mb = database_mb(app, instance)
        print(
            f"\n## {count:,} inspections over {args.years} year(s) to {YEAR}, "
            f"{count * responses:,} responses, {args.database}: "
            f"loaded in {load_seconds:.0f} s, database {size_mb:.0f} MB ({instance})"
        )
        times, result_digest, plans = in_process(app, args.runs)
        print_in_process(times, result_digest, plans)
        results, year_answer = measure_http(instance, token, args, app)
        check_same(year_answer, app)
        print_table(results)
        return {
            "count": count,
            "responses": count * responses,
            "size_mb": size_mb,
            "times": times,
            "http": results,
        }
    finally:
        if postgres is not None:
            with app.app_context():
                from inspector.extensions import db

                db.engine.dispose()
            postgres.execute(f"DROP DATABASE {name} WITH (FORCE)")
        if not args.keep:
            shutil.rmtree(instance, ignore_errors=True)


def database_mb(app, instance):
    from sqlalchemy import text

    from inspector.extensions import db

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            return (instance / "inspector.sqlite3").stat().st_size / 1e6
        size = db.session.scalar(text("SELECT pg_database_size(current_database())"))
        db.session.remove()
        return size / 1e6


def print_growth(runs, years):
    print(f"\n## Growth of the year roll-up (inspections spread over {years} year(s) to {YEAR})\n")
    print(
        "| inspections | responses | DB MB | department_scores year ms | API year median ms |"
        " API year server ms | API year after a change ms | web year page ms"
        " | hot spots year ms | API year closed ms |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for run in runs:
        http_rows = run["http"]

        def median(label, key="client", rows=http_rows):
            return statistics.median(rows[label][key])

        print(
            f"| {run['count']:,} | {run['responses']:,} | {run['size_mb']:.0f} | "
            f"{run['times']['department_scores, year']:.1f} | "
            f"{median(ROWS[2][0]):.1f} | {median(ROWS[2][0], 'server'):.1f} | "
            f"{median('GET /api/v1/scores year, after a change'):.1f} | "
            f"{median(ROWS[6][0]):.1f} | {median(ROWS[8][0]):.1f} | {median(CLOSED_ROW[0]):.1f} |"
        )


def summary(runs):
    """The figures make bench reports: medians per request row, per size (server ms)."""
    return [
        {
            "count": run["count"],
            "responses": run["responses"],
            "size_mb": run["size_mb"],
            "in_process_ms": run["times"],
            "rows": {
                label: {
                    "client_ms": statistics.median(row["client"]),
                    "server_ms": statistics.median(row["server"]),
                    **(
                        {"pair_ratio": statistics.median(row["pair_ratios"])}
                        if "pair_ratios" in row
                        else {}
                    ),
                }
                for label, row in run["http"].items()
            },
        }
        for run in runs
    ]


def main():
    args = parse_args()
    sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]
    print(f"Python {sys.version.split()[0]}, SQLite {__import__('sqlite3').sqlite_version}, "
          f"{os.cpu_count()} CPUs, {datetime.now():%Y-%m-%d %H:%M}, {args.database}")  # fmt: skip
    postgres = None
    if args.database == "postgresql":
        from tests.postgres import ThrowawayPostgres

        postgres = ThrowawayPostgres().start()
    try:
        per_size = [int(n) for n in args.responses.split(",")]
        per_size += per_size[-1:] * (len(sizes) - len(per_size))
        runs = [run_size(c, n, args, postgres) for c, n in zip(sizes, per_size, strict=True)]
    finally:
        if postgres is not None:
            postgres.stop()
    print_growth(runs, args.years)
    if args.json:
        Path(args.json).write_text(json.dumps({"database": args.database, "runs": summary(runs)}))


if __name__ == "__main__":
    main()

"""The evidence archive: 通报, inspection reports, campaign reports, findings ledger and index."""

import contextlib
import csv
import io
import sqlite3
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from inspector.extensions import db
from inspector.models import Finding, Inspection
from inspector.periods import local_date


def test_archive_holds_every_document_of_the_span_and_an_index(app, runner, demo, tmp_path):
    zone = app.config["TIMEZONE"]
    latest = db.session.scalar(select(func.max(Inspection.submitted_at)))
    day = local_date(latest, zone)
    counted = [
        i
        for i in db.session.scalars(
            select(Inspection).where(Inspection.status.in_(("submitted", "approved")))
        )
        if local_date(i.submitted_at, zone) == day
    ]
    findings = [
        f for f in db.session.scalars(select(Finding)) if local_date(f.created_at, zone) == day
    ]
    output = tmp_path / "archive.zip"
    result = runner.invoke(
        args=["archive", f"{day}..{day}", "-o", str(output), "--as", "supervisor"]
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(output) as archive:
        names = archive.namelist()
        assert f"bulletins/{day:%Y-%m}.pdf" in names
        reports = sorted(n for n in names if n.startswith("inspections/"))
        assert reports == sorted(
            f"inspections/{day:%Y-%m}/{day}-{i.site.code}-{i.uuid[:8]}.pdf" for i in counted
        )
        assert all(archive.read(n).startswith(b"%PDF-") for n in reports)
        assert any(n.startswith("campaigns/") for n in names)  # the demo campaign runs then
        ledger = load_workbook(io.BytesIO(archive.read("findings.xlsx"))).active
        assert ledger.max_row - 1 == len(findings)
        index = list(csv.reader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
        assert [row[0] for row in index[1:]] == [
            n for n in names if n not in ("index.csv", "index.html")
        ]
        assert "<table>" in archive.read("index.html").decode()
    assert not (tmp_path / "archive.zip.part").exists()


def test_archive_refuses_a_bad_period_or_a_user_without_the_role(runner, demo, tmp_path):
    output = str(tmp_path / "a.zip")
    bad = runner.invoke(args=["archive", "someday", "-o", output, "--as", "supervisor"])
    assert bad.exit_code != 0 and "Not a period" in bad.output
    lead = runner.invoke(args=["archive", "2026", "-o", output, "--as", "inspector"])
    assert lead.exit_code != 0 and "not a supervisor" in lead.output


def fake_archive(path, user, first, last, today, progress=lambda name: None):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("index.csv", f"{user.username},{first},{last}")
        progress("index.csv")
    return 1


def test_archive_asked_for_on_screen_is_built_by_the_worker_and_announced(
    app, client, login_as, monkeypatch
):
    from inspector.documents import jobs
    from inspector.models import DocumentArchive, Notification

    monkeypatch.setattr(jobs, "write_archive", fake_archive)
    supervisor = login_as("supervisor")
    answer = client.post("/documents/archives", data={"year": "2026"})
    assert answer.status_code == 303
    archive = db.session.scalar(select(DocumentArchive))
    assert (archive.status, str(archive.first), str(archive.last)) == (
        "pending",
        "2026-01-01",
        "2026-12-31",
    )
    jobs.build_archive(archive.id)
    jobs.build_archive(archive.id)  # a second run of the same job does nothing
    db.session.refresh(archive)
    assert archive.status == "ready" and archive.documents == 1
    message = db.session.scalar(select(Notification).where(Notification.user_id == supervisor.id))
    assert message.name == "archive.ready"
    page = client.get("/documents/archives", headers={"Accept-Language": "zh"}).text
    assert f'data-archive="{archive.id}" data-status="ready"' in page
    download = client.get(f"/documents/archives/{archive.id}.zip")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    body = download.data
    download.close()  # as a server does once sent: the stored file is closed
    with zipfile.ZipFile(io.BytesIO(body)) as got:
        assert got.read("index.csv").decode() == f"{supervisor.username},2026-01-01,2026-12-31"


def test_a_failed_archive_says_so_and_cannot_be_downloaded(app, client, login_as, monkeypatch):
    from inspector.documents import jobs
    from inspector.models import DocumentArchive, Notification

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(jobs, "write_archive", broken)
    login_as("admin")
    client.post("/documents/archives", data={"year": "2025"})
    archive = db.session.scalar(select(DocumentArchive))
    jobs.build_archive(archive.id)
    db.session.refresh(archive)
    assert archive.status == "failed" and "disk full" in archive.error
    assert db.session.scalar(select(Notification.name)) == "archive.failed"
    assert client.get(f"/documents/archives/{archive.id}.zip").status_code == 404
    assert client.post("/documents/archives", data={"year": "12026"}).status_code == 400


def asked_for(client, login_as, year="2026"):
    from inspector.models import DocumentArchive

    login_as("supervisor")
    client.post("/documents/archives", data={"year": year})
    return db.session.scalar(select(DocumentArchive.id).order_by(DocumentArchive.id.desc()))


def stop_building(archive_id):
    """What a worker killed in the middle leaves: the archive claimed, never finished."""
    from inspector.documents import jobs

    assert jobs.claim(archive_id) is not None
    db.session.remove()


def test_an_archive_whose_worker_was_killed_is_built_again(app, client, login_as, monkeypatch):
    from inspector.documents import jobs
    from inspector.models import Notification

    monkeypatch.setattr(jobs, "write_archive", fake_archive)
    nudged = []
    monkeypatch.setattr(jobs.queue, "nudge", lambda app, task, *args: nudged.append((task, *args)))
    archive_id = asked_for(client, login_as)
    nudged.clear()  # the screen's own nudge
    stop_building(archive_id)
    jobs.sweep()  # its lease has not run out: a live build may still hold it
    assert db.session.get(jobs.DocumentArchive, archive_id).status == "building"
    assert nudged == []
    later = datetime.now(UTC) + jobs.LEASE + timedelta(seconds=1)
    jobs.sweep(now=later)
    assert db.session.get(jobs.DocumentArchive, archive_id).status == "pending"
    assert nudged == [("build_archive", archive_id)]
    jobs.build_archive(archive_id)
    built = db.session.get(jobs.DocumentArchive, archive_id)
    assert (built.status, built.attempts, built.builder, built.lease_until) == (
        "ready", 2, None, None,
    )  # fmt: skip
    assert db.session.scalars(select(Notification.name)).all() == ["archive.ready"]


def test_an_archive_whose_builds_keep_stopping_fails_and_says_so(app, client, login_as):
    from inspector.documents import jobs
    from inspector.models import Notification

    archive_id = asked_for(client, login_as)
    for _attempt in range(jobs.MAX_ATTEMPTS):
        stop_building(archive_id)
        jobs.sweep(now=datetime.now(UTC) + jobs.LEASE + timedelta(seconds=1))
    failed = db.session.get(jobs.DocumentArchive, archive_id)
    assert failed.status == "failed" and "stopped 3 times" in failed.error
    assert db.session.scalars(select(Notification.name)).all() == ["archive.failed"]


def test_a_build_that_was_taken_over_stops_and_leaves_no_file(app, client, login_as, monkeypatch):
    from inspector.documents import jobs
    from inspector.models import DocumentArchive, Notification

    archive_id = asked_for(client, login_as)
    monkeypatch.setattr(jobs, "RENEW_EVERY", 0)  # renew at every document
    # The builder's own renewals only: a heartbeat renewing all the time would race the
    # take-over this test plays (tests below check the heartbeat on its own).
    monkeypatch.setattr(jobs.Lease, "heartbeat", lambda lease, app: contextlib.nullcontext())

    def taken_over(path, user, first, last, today, progress):
        db.session.execute(
            update(DocumentArchive).where(DocumentArchive.id == archive_id).values(builder="other")
        )  # as the sweep and another worker would, thinking this one stopped
        db.session.commit()
        progress("bulletins/2026-01.pdf")
        raise AssertionError("went on writing an archive it no longer holds")

    monkeypatch.setattr(jobs, "write_archive", taken_over)
    jobs.build_archive(archive_id)
    db.session.expire_all()
    still = db.session.get(DocumentArchive, archive_id)
    assert (still.status, still.builder) == ("building", "other")
    assert db.session.scalar(select(Notification.name)) is None


def test_a_build_taken_over_as_it_stored_the_file_removes_it(app, client, login_as, monkeypatch):
    from inspector.documents import jobs
    from inspector.models import DocumentArchive

    archive_id = asked_for(client, login_as)
    monkeypatch.setattr(jobs, "write_archive", fake_archive)
    storage = app.extensions["inspector.storage"]
    save = storage.save

    def save_then_lose_it(key, data, content_type):
        save(key, data, content_type)
        db.session.execute(
            update(DocumentArchive).where(DocumentArchive.id == archive_id).values(builder="other")
        )
        db.session.commit()

    monkeypatch.setattr(storage, "save", save_then_lose_it)
    jobs.build_archive(archive_id)
    assert db.session.get(DocumentArchive, archive_id).status == "building"  # the other's now
    assert not list((Path(app.instance_path) / "photos" / "archives").glob("*.zip"))


def test_building_an_archive_holds_no_lock_while_it_writes(app, client, login_as, monkeypatch):
    """Writes go on (sign-ins, uploads, reviews) while a year's archive is written."""
    from inspector.documents import jobs
    from inspector.models import User
    from inspector.queue import job_context

    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL has no database-wide write lock")
    archive_id = asked_for(client, login_as)
    path = db.engine.url.database
    seen = []

    def writing(target, user, first, last, today, progress):
        for document in ("bulletins/2026-01.pdf", "bulletins/2026-02.pdf"):
            db.session.scalar(select(User.username))  # reading, as documents do
            other = sqlite3.connect(path, timeout=0, isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")  # another request's write
                other.execute("ROLLBACK")
                seen.append("written")
            except sqlite3.OperationalError as error:
                seen.append(str(error))
            finally:
                other.close()
            progress(document)
        return fake_archive(target, user, first, last, today)

    monkeypatch.setattr(jobs, "write_archive", writing)
    db.session.commit()  # the test's own session holds nothing either
    with job_context(app):  # as the worker runs it: its writes take the lock up front
        jobs.build_archive(archive_id)
    assert seen == ["written", "written"]
    db.session.expire_all()
    assert db.session.get(jobs.DocumentArchive, archive_id).status == "ready"


def test_the_real_archive_reads_each_document_without_the_write_lock(app, demo, tmp_path):
    """As the worker and the `archive` command run it: their transactions would take the lock."""
    from inspector.database import WRITE, forced_kind
    from inspector.documents.archive import write_archive
    from inspector.models import User

    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL has no database-wide write lock")
    day = local_date(db.session.scalar(select(func.max(Inspection.submitted_at))), "Asia/Shanghai")
    path, seen = db.engine.url.database, []

    def another_write(name):
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            seen.append(name)
        finally:
            other.close()

    token = forced_kind.set(WRITE)
    try:
        user = db.session.scalar(select(User).where(User.username == "supervisor"))
        count = write_archive(tmp_path / "a.zip", user, day, day, day, progress=another_write)
    finally:
        forced_kind.reset(token)
    assert count > 3 and len(seen) == count - 1  # every document but the ledger, written after


def test_a_long_step_keeps_its_lease_alive(app, client, login_as, monkeypatch):
    """A slow document or a slow upload to S3: the heartbeat renews while no progress comes."""
    from inspector.documents import jobs
    from inspector.models import DocumentArchive

    archive_id = asked_for(client, login_as)
    monkeypatch.setattr(jobs, "RENEW_EVERY", 0.3)
    seen = []

    def slow(path, user, first, last, today, progress):
        before = lease_until(archive_id)
        time.sleep(1.2)  # four renewal periods without a document
        seen.append(lease_until(archive_id) > before)
        return fake_archive(path, user, first, last, today)

    def lease_until(ident):
        with db.engine.connect() as other:  # as the sweep would read it, from another connection
            return other.execute(
                select(DocumentArchive.lease_until).where(DocumentArchive.id == ident)
            ).scalar()

    monkeypatch.setattr(jobs, "write_archive", slow)
    jobs.build_archive(archive_id)
    assert seen == [True]
    assert db.session.get(DocumentArchive, archive_id).status == "ready"


def test_an_archive_left_building_before_leases_existed_is_built_again(
    app, client, login_as, monkeypatch
):
    from inspector.documents import jobs
    from inspector.models import DocumentArchive

    nudged = []
    monkeypatch.setattr(jobs.queue, "nudge", lambda app, task, *args: nudged.append(args))
    archive_id = asked_for(client, login_as)
    db.session.execute(
        update(DocumentArchive).where(DocumentArchive.id == archive_id).values(status="building")
    )  # as a killed worker left it under migration 0016: no builder, no lease
    db.session.commit()
    nudged.clear()
    jobs.sweep()
    assert db.session.get(DocumentArchive, archive_id).status == "pending"
    assert nudged == [(archive_id,)]

"""The evidence archive: 通报, inspection reports, campaign reports, findings ledger and index."""

import csv
import io
import zipfile

from openpyxl import load_workbook
from sqlalchemy import func, select

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


def fake_archive(path, user, first, last, today):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("index.csv", f"{user.username},{first},{last}")
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

    def broken(*args):
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

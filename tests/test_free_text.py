"""Free text typed by people is shown as text everywhere (ASVS V5.3): pages, the printed sheet,
the campaign report and archive, CSV and XLSX (never a runnable formula)."""

import csv
import io
import uuid
import zipfile
from datetime import UTC, datetime

from openpyxl import load_workbook

from inspector.campaigns.services import save_campaign
from inspector.extensions import db
from inspector.findings.services import save_finding
from inspector.inspections.services import review_inspection
from inspector.models import Role
from tests import factories

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(2)>'
FORMULA = '=HYPERLINK("http://evil.example","点我")'
HOSTILE = SCRIPT + ATTRIBUTE + FORMULA


def hostile_world(app):
    """Every free-text field a user can type, filled with markup and a formula."""
    department = factories.new_department(code="d", name=FORMULA + SCRIPT)
    site = factories.new_site(department=department, code="s", name=HOSTILE)
    inspector = factories.new_user(Role.INSPECTOR, display_name=HOSTILE)
    supervisor = factories.new_user(Role.SUPERVISOR)
    inspection = factories.new_inspection(
        site, 70.0, datetime.now(UTC), inspector=inspector, checklist=factories.new_checklist()
    )
    db.session.flush()
    review_inspection(supervisor, inspection, "return", HOSTILE, app.config)
    finding = save_finding(
        inspector,
        str(uuid.uuid4()),
        {"site": "s", "title": HOSTILE, "description": HOSTILE, "before_photos": []},
        app.config,
    )[0]
    campaign = save_campaign(supervisor, HOSTILE, HOSTILE, "2026-11-01", "2026-11-30", ["s"])
    db.session.commit()
    return inspection, finding, campaign


def assert_escaped(text, where):
    assert SCRIPT not in text and "<img src=x" not in text, f"unescaped markup in {where}"


def test_pages_show_typed_text_as_text(app, client, login_as):
    inspection, finding, campaign = hostile_world(app)
    login_as(Role.ADMIN)
    pages = [
        f"/inspections/{inspection.uuid}",
        "/inspections/",
        f"/findings/{finding.uuid}",
        "/findings/",
        f"/campaigns/{campaign.id}",
        f"/campaigns/{campaign.id}/report",
        "/campaigns/",
        "/scores/?kind=month",
        "/scores/print?kind=month",
        "/scores/departments/d?kind=month",
        "/admin/users",
        "/admin/sites",
        "/admin/departments",
    ]
    for page in pages:
        answer = client.get(page)
        assert answer.status_code == 200, page
        assert_escaped(answer.text, page)
    # The field app's data is JSON, never sniffed as HTML; its script sets it as text only.
    data = client.get("/field/data.json")
    assert (
        data.mimetype == "application/json" and data.headers["X-Content-Type-Options"] == "nosniff"
    )
    # The escaped text is there: shown, not dropped.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(f"/findings/{finding.uuid}").text


def test_exports_never_run_typed_text(app, client, login_as):
    hostile_world(app)
    login_as(Role.SUPERVISOR)
    rows = list(
        csv.reader(io.StringIO(client.get("/scores/export.csv?kind=month").text.lstrip("\ufeff")))
    )
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) and "HYPERLINK" in cell for cell in cells)
    assert any("HYPERLINK" in cell for cell in cells)  # kept as text, with a leading quote
    sheet = load_workbook(io.BytesIO(client.get("/scores/export.xlsx?kind=month").data)).active
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("HYPERLINK" in v for v in values)
    for row in sheet.iter_rows():
        for c in row:
            assert c.data_type != "f", f"formula in {c.coordinate}"


def test_the_campaign_archive_escapes_and_defuses(app, client, login_as):
    *_, campaign = hostile_world(app)
    login_as(Role.SUPERVISOR)
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/campaigns/{campaign.id}/export.zip").data))
    assert_escaped(archive.read("index.html").decode(), "index.html")
    index = archive.read("index.csv").decode("utf-8-sig")
    assert not any(cell.startswith("=") for row in csv.reader(io.StringIO(index)) for cell in row)


def test_scripts_never_write_html_from_data():
    """The browser code sets text, never markup: no innerHTML and friends anywhere."""
    from pathlib import Path

    for script in Path(__file__).parents[1].joinpath("static", "js").glob("*.js"):
        source = script.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in source, f"{script.name} uses {sink}"

"""Cleanup campaigns: sites and dates, spots with before/after pairs, report and ZIP."""

import csv
import io
import zipfile

import pytest

from inspector.extensions import db
from inspector.models import Campaign, Finding, Role
from tests import factories
from tests.images import jpeg_bytes


@pytest.fixture
def village(app):
    department = factories.new_department(code="property")
    one = factories.new_site(department=department, code="ghz-01", name="桂花镇新村一区")
    two = factories.new_site(department=department, code="ghz-02", name="桂花镇新村二区")
    db.session.commit()
    return one, two


def create_campaign(client):
    return client.post(
        "/campaigns/new",
        data={
            "name": "桂花镇春季环境整治",
            "starts_on": "2026-11-01",
            "ends_on": "2026-11-30",
            "sites": ["ghz-01", "ghz-02"],
        },
    )


def test_create_add_spots_fix_and_export(app, client, login_as, village):
    login_as(Role.SUPERVISOR)
    assert create_campaign(client).status_code == 303
    campaign = db.session.query(Campaign).one()
    assert [s.code for s in campaign.sites] == ["ghz-01", "ghz-02"]
    for site, title in (("ghz-01", "柴草乱堆"), ("ghz-02", "垃圾未清运")):
        response = client.post(
            "/findings/new",
            content_type="multipart/form-data",
            data={
                "campaign": campaign.id,
                "site": site,
                "title": title,
                "before": (io.BytesIO(jpeg_bytes()), "before.jpg"),
            },
        )
        assert response.status_code == 303
    spot = db.session.query(Finding).filter_by(title="柴草乱堆").one()
    client.post(
        f"/findings/{spot.uuid}/fix",
        content_type="multipart/form-data",
        data={"after": (io.BytesIO(jpeg_bytes(colour=(0, 120, 0))), "after.jpg"), "note": "已清理"},
    )
    page = client.get(f"/campaigns/{campaign.id}", headers={"Accept-Language": "en"}).text
    assert "2 found" in page and "1 fixed" in page and "0 verified" in page
    report = client.get(f"/campaigns/{campaign.id}/report").text
    assert "柴草乱堆" in report and "垃圾未清运" in report and report.count("<img") == 3

    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/campaigns/{campaign.id}/export.zip").data))
    names = set(archive.namelist())
    assert {
        "index.csv",
        "index.html",
        "photos/001-ghz-01-before-1.jpg",
        "photos/001-ghz-01-after-1.jpg",
        "photos/002-ghz-02-before-1.jpg",
    } <= names
    assert archive.read("photos/001-ghz-01-after-1.jpg").startswith(b"\xff\xd8")
    rows = list(csv.reader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
    assert len(rows) == 4 and rows[1][3] == "柴草乱堆"  # one line per photo
    assert rows[2][10] == "photos/001-ghz-01-after-1.jpg"
    assert "photos/002-ghz-02-before-1.jpg" in archive.read("index.html").decode()


def test_a_spot_must_be_on_a_campaign_site(client, login_as, village):
    login_as(Role.SUPERVISOR)
    client.post(
        "/campaigns/new",
        data={
            "name": "一区整治",
            "starts_on": "2026-11-01",
            "ends_on": "2026-11-30",
            "sites": ["ghz-01"],
        },
    )
    campaign = db.session.query(Campaign).one()
    client.post("/findings/new", data={"campaign": campaign.id, "site": "ghz-02", "title": "x"})
    assert db.session.query(Finding).count() == 0


@pytest.mark.parametrize(
    "data, field",
    [
        (
            {"name": "", "starts_on": "2026-11-01", "ends_on": "2026-11-30", "sites": ["ghz-01"]},
            "name",
        ),
        (
            {"name": "x", "starts_on": "2026-11-30", "ends_on": "2026-11-01", "sites": ["ghz-01"]},
            "ends_on",
        ),
        (
            {"name": "x", "starts_on": "soon", "ends_on": "2026-11-01", "sites": ["ghz-01"]},
            "starts_on",
        ),
        ({"name": "x", "starts_on": "2026-11-01", "ends_on": "2026-11-30"}, "sites"),
    ],
)
def test_campaign_form_errors(client, login_as, village, data, field):
    login_as(Role.ADMIN)
    response = client.post("/campaigns/new", data=data)
    assert response.status_code == 200 and 'class="error"' in response.text
    assert db.session.query(Campaign).count() == 0


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.LEAD])
def test_only_organisers_create_and_export(client, login_as, village, role):
    login_as(role)
    assert client.get("/campaigns/new").status_code == 403
    assert client.get("/campaigns/").status_code == 200


def test_another_user_cannot_pull_a_spot_out_of_its_campaign(app, client, login_as, village):
    """Re-posting a spot's id (same fields, or a new title) never moves or breaks it."""
    login_as(Role.SUPERVISOR)
    create_campaign(client)
    campaign = db.session.query(Campaign).one()
    spot = {"uuid": "0f8fad5b-d9cb-469f-a165-70867728950e", "site": "ghz-01", "title": "柴草乱堆"}
    client.post("/findings/new", data={**spot, "campaign": campaign.id})
    other = app.test_client()
    intruder = factories.new_user(role=Role.INSPECTOR)
    db.session.commit()
    other.post("/login", data={"username": intruder.username, "password": factories.PASSWORD})
    same = other.post("/findings/new", data={**spot, "due": ""})
    assert same.status_code == 303
    changed = other.post(
        "/findings/new",
        data={**spot, "title": "改了标题"},
        headers={"Referer": "http://localhost/findings/new", "Accept-Language": "en"},
    )
    assert changed.status_code == 303 and changed.location.endswith("/findings/new")
    finding = db.session.query(Finding).one()
    db.session.refresh(finding)
    assert (finding.campaign_id, finding.title) == (campaign.id, "柴草乱堆")
    assert "can no longer be changed" in other.get("/findings/new").text

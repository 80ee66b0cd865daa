"""Findings on the phone: a lead fixes with an after photo, a reviewer verifies."""

import io

import pytest

from inspector.extensions import db
from inspector.models import Finding, FindingStatus, Role
from tests import factories
from tests.images import jpeg_bytes


@pytest.fixture
def finding(app):
    department = factories.new_department(code="property")
    site = factories.new_site(department=department, code="ghz-01", name="桂花镇新村一区")
    opener = factories.new_user(role=Role.INSPECTOR)
    photo = factories.new_photo(opener)
    record = Finding(
        uuid="6c1f7a9e-3a2b-4c5d-8e9f-0a1b2c3d4e5f",
        site=site,
        department=department,
        title="房前屋后乱堆乱放",
        created_by_id=opener.id,
    )
    db.session.add(record)
    db.session.flush()
    from inspector.models import FindingPhoto

    record.photos.append(FindingPhoto(photo=photo, stage="before", position=0))
    db.session.commit()
    return record


def test_lead_sees_their_findings_and_fixes_one(client, login_as, finding):
    login_as(Role.LEAD, department=finding.department)
    html = client.get("/findings/", headers={"Accept-Language": "en"}).text
    assert "房前屋后乱堆乱放" in html and "To fix" in html
    page = client.get(f"/findings/{finding.uuid}").text
    assert 'capture="environment"' in page and "/thumb" in page  # the before photo beside it
    response = client.post(
        f"/findings/{finding.uuid}/fix",
        content_type="multipart/form-data",
        data={"after": (io.BytesIO(jpeg_bytes()), "after.jpg"), "note": "已清运"},
    )
    assert response.status_code == 303
    db.session.refresh(finding)
    assert finding.status == FindingStatus.FIXED and finding.fix_note == "已清运"
    assert [p.stage for p in finding.photos] == ["before", "after"]


def test_fix_without_a_photo_is_refused(client, login_as, finding):
    login_as(Role.LEAD, department=finding.department)
    client.post(f"/findings/{finding.uuid}/fix", data={"note": "done"})
    db.session.refresh(finding)
    assert finding.status == FindingStatus.OPEN


def test_another_departments_lead_gets_404(client, login_as, finding):
    login_as(Role.LEAD)
    assert client.get(f"/findings/{finding.uuid}").status_code == 404
    assert client.post(f"/findings/{finding.uuid}/fix").status_code == 404


def test_supervisor_sees_the_pair_and_rejects_then_accepts(app, client, login_as, finding):
    lead = login_as(Role.LEAD, department=finding.department)
    client.post(
        f"/findings/{finding.uuid}/fix",
        content_type="multipart/form-data",
        data={"after": (io.BytesIO(jpeg_bytes()), "after.jpg")},
    )
    boss = app.test_client()
    supervisor = factories.new_user(role=Role.SUPERVISOR)
    boss.post("/login", data={"username": supervisor.username, "password": factories.PASSWORD})
    page = boss.get(f"/findings/{finding.uuid}", headers={"Accept-Language": "en"}).text
    assert "Before and after" in page and "Verify the fix" in page
    boss.post(f"/findings/{finding.uuid}/verify", data={"decision": "reject"})
    db.session.refresh(finding)
    assert finding.status == FindingStatus.FIXED  # a rejection needs a reason
    boss.post(f"/findings/{finding.uuid}/verify", data={"decision": "reject", "comment": "没清完"})
    db.session.refresh(finding)
    assert finding.status == FindingStatus.OPEN
    client.post(
        f"/findings/{finding.uuid}/fix",
        content_type="multipart/form-data",
        data={"after": (io.BytesIO(jpeg_bytes(colour=(0, 90, 0))), "after2.jpg")},
    )
    boss.post(f"/findings/{finding.uuid}/verify", data={"decision": "accept"})
    db.session.refresh(finding)
    assert finding.status == FindingStatus.CLOSED and lead.id


def test_inspector_opens_a_finding_by_hand(client, login_as, finding):
    login_as(Role.INSPECTOR)
    response = client.post(
        "/findings/new",
        content_type="multipart/form-data",
        data={
            "site": "ghz-01",
            "title": "绿化带有垃圾",
            "before": (io.BytesIO(jpeg_bytes()), "before.jpg"),
        },
    )
    assert response.status_code == 303
    opened = db.session.query(Finding).filter_by(title="绿化带有垃圾").one()
    assert opened.due is not None and len(opened.photos) == 1


def test_reviewers_filter_findings_by_department(client, login_as, finding):
    login_as(Role.SUPERVISOR)
    other = factories.new_department(code="canteen")
    db.session.commit()
    assert "房前屋后乱堆乱放" in client.get("/findings/?department=property").text
    assert "房前屋后乱堆乱放" not in client.get(f"/findings/?department={other.code}").text


def test_a_double_tapped_finding_form_opens_one_finding(client, login_as, finding):
    login_as(Role.INSPECTOR)
    form = {"uuid": "0b5c7d1e-9f3a-4b2c-8d7e-6f5a4b3c2d1e", "site": "ghz-01", "title": "路灯不亮"}
    assert client.post("/findings/new", data=form).status_code == 303
    assert client.post("/findings/new", data=form).status_code == 303
    assert db.session.query(Finding).filter_by(title="路灯不亮").count() == 1

"""Findings (整改) through the API: open, fix, reject, fix, accept; who may do each step."""

import uuid

import pytest

from inspector.extensions import db
from inspector.models import AuditEvent, Finding, FindingStatus, Role
from tests import factories


@pytest.fixture
def place(app):
    department = factories.new_department(code="property")
    other = factories.new_department(code="canteen")
    site = factories.new_site(department=department, code="ghz-01", name="桂花镇新村一区")
    db.session.commit()
    return {"department": department, "other": other, "site": site}


def open_finding(api, **extra):
    inspector = api.as_role(Role.INSPECTOR)
    photo = factories.new_photo(inspector)
    db.session.commit()
    target = str(uuid.uuid4())
    body = {
        "site": "ghz-01",
        "title": "房前屋后乱堆乱放",
        "description": "柴草堆放在路边",
        "due": "2026-11-30",
        "before_photos": [photo.uuid],
        **extra,
    }
    response = api.put(f"/api/v1/findings/{target}", json=body)
    return target, response, body, inspector


def as_user(api, user):
    api.token = factories.new_token(user)
    db.session.commit()


def test_open_by_hand_and_retry(api, place):
    target, response, body, _ = open_finding(api)
    assert response.status_code == 201
    data = response.json
    assert (data["status"], data["department"], data["site"]) == ("open", "property", "ghz-01")
    assert len(data["before_photos"]) == 1 and data["after_photos"] == []
    again = api.put(f"/api/v1/findings/{target}", json=body)
    assert again.status_code == 200 and again.json == data
    assert db.session.query(Finding).count() == 1


def test_the_whole_cycle_fix_reject_fix_accept(api, place):
    target, _, _, opener = open_finding(api)
    lead = factories.new_user(role=Role.LEAD, department=place["department"])
    as_user(api, lead)
    photo = factories.new_photo(lead)
    db.session.commit()
    fixed = api.post(
        f"/api/v1/findings/{target}/fix", json={"after_photos": [photo.uuid], "note": "已清理"}
    )
    assert fixed.status_code == 200 and fixed.json["status"] == "fixed"
    assert fixed.json["fix"]["by"] == lead.username
    as_user(api, opener)
    assert (
        api.post(f"/api/v1/findings/{target}/verify", json={"decision": "reject"}).status_code
        == 422
    )  # a reason is required
    rejected = api.post(
        f"/api/v1/findings/{target}/verify", json={"decision": "reject", "comment": "角落还有杂物"}
    )
    assert rejected.json["status"] == "open"
    as_user(api, lead)
    second = factories.new_photo(lead)
    db.session.commit()
    assert (
        api.post(f"/api/v1/findings/{target}/fix", json={"after_photos": [second.uuid]}).json[
            "status"
        ]
        == "fixed"
    )
    supervisor = factories.new_user(role=Role.SUPERVISOR)
    as_user(api, supervisor)
    closed = api.post(f"/api/v1/findings/{target}/verify", json={"decision": "accept"})
    assert closed.json["status"] == "closed"
    assert (
        api.post(f"/api/v1/findings/{target}/verify", json={"decision": "accept"}).status_code
        == 200
    )  # retry
    assert api.post(
        f"/api/v1/findings/{target}/fix", json={"after_photos": [second.uuid]}
    ).status_code in (403, 409)
    actions = [
        e.action
        for e in db.session.query(AuditEvent).order_by(AuditEvent.id)
        if e.action.startswith("finding.")
    ]
    assert actions == [
        "finding.open",
        "finding.fix",
        "finding.reject",
        "finding.fix",
        "finding.accept",
    ]


def test_a_fix_needs_an_after_photo(api, place):
    target, _, _, _ = open_finding(api)
    response = api.post(f"/api/v1/findings/{target}/fix", json={"after_photos": []})
    assert response.status_code == 422 and "after_photos" in response.json["error"]["fields"]


def test_the_fixer_cannot_verify_their_own_fix(api, place):
    target, _, _, opener = open_finding(api)
    photo = factories.new_photo(opener)
    db.session.commit()
    api.post(f"/api/v1/findings/{target}/fix", json={"after_photos": [photo.uuid]})
    response = api.post(f"/api/v1/findings/{target}/verify", json={"decision": "accept"})
    assert response.status_code == 403
    as_user(api, factories.new_user(role=Role.INSPECTOR))  # another inspector may
    assert (
        api.post(f"/api/v1/findings/{target}/verify", json={"decision": "accept"}).json["status"]
        == "closed"
    )


def test_leads_see_and_fix_only_their_department(api, place):
    target, _, _, _ = open_finding(api)
    as_user(api, factories.new_user(role=Role.LEAD, department=place["other"]))
    assert api.get(f"/api/v1/findings/{target}").status_code == 404
    assert api.post(f"/api/v1/findings/{target}/fix", json={"after_photos": []}).status_code == 404
    assert api.get("/api/v1/findings").json["items"] == []
    as_user(api, factories.new_user(role=Role.LEAD, department=place["department"]))
    assert api.get(f"/api/v1/findings/{target}").status_code == 200
    target2 = str(uuid.uuid4())
    assert (
        api.put(f"/api/v1/findings/{target2}", json={"site": "ghz-01", "title": "x"}).status_code
        == 403
    )  # leads don't open


def test_overdue_and_status_filters(api, place):
    open_finding(api, due="2020-01-01")
    open_finding(api, due="2099-01-01")
    api.as_role(Role.SUPERVISOR)
    assert len(api.get("/api/v1/findings").json["items"]) == 2
    overdue = api.get("/api/v1/findings?overdue=true").json["items"]
    assert [f["due"] for f in overdue] == ["2020-01-01"] and overdue[0]["overdue"]
    assert len(api.get("/api/v1/findings?status=open&department=property").json["items"]) == 2
    assert api.get("/api/v1/findings?department=canteen").json["items"] == []
    assert api.get("/api/v1/findings?status=lost").status_code == 400


@pytest.mark.parametrize(
    "body, field",
    [
        ({"site": "nowhere", "title": "x"}, "site"),
        ({"site": "ghz-01"}, "title"),
        ({"site": "ghz-01", "title": "x", "due": "soon"}, "due"),
        ({"site": "ghz-01", "title": "x", "before_photos": [str(uuid.uuid4())]}, "before_photos"),
    ],
)
def test_invalid_findings_are_422(api, place, body, field):
    api.as_role(Role.INSPECTOR)
    response = api.put(f"/api/v1/findings/{uuid.uuid4()}", json=body)
    assert response.status_code == 422 and field in response.json["error"]["fields"]


def test_submitted_inspection_opens_findings_with_before_photos(api, place):
    from tests.inspections.test_api import ALL_PASS, replace

    checklist = factories.new_checklist()
    inspector = api.as_role(Role.INSPECTOR)
    photo = factories.new_photo(inspector)
    db.session.commit()
    responses = replace(ALL_PASS, "desk-dust", answer="fail", photos=[photo.uuid])
    responses = replace(responses, "floor-spit", answer={"count": 2})
    body = {
        "template": checklist.id,
        "site": "ghz-01",
        "started_at": "2026-11-23T09:00:00",
        "responses": responses,
        "submit": True,
    }
    api.put(f"/api/v1/inspections/{uuid.uuid4()}", json=body)
    findings = api.get("/api/v1/findings").json["items"]
    assert sorted(f["title"] for f in findings) == ["地面无痰迹，每处扣1分，扣完为止", "桌面无灰尘"]
    with_photo = next(f for f in findings if f["title"] == "桌面无灰尘")
    assert with_photo["before_photos"] == [photo.uuid]
    assert all(f["status"] == FindingStatus.OPEN for f in findings)

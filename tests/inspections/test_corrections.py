"""Correcting a returned inspection: answers change, and findings follow (docs/scoring.md)."""

import uuid

import pytest

from inspector.extensions import db
from inspector.models import AuditEvent, Finding, FindingStatus, Role
from tests import factories
from tests.inspections.test_api import ALL_PASS, replace


@pytest.fixture
def returned(api, app):
    """An inspection whose failed desk-dust item opened a finding, returned for correction."""
    department = factories.new_department(code="property")
    factories.new_site(department=department, code="ghz-01")
    checklist = factories.new_checklist()
    supervisor = factories.new_user(role=Role.SUPERVISOR)
    inspector = api.as_role(Role.INSPECTOR)
    photo = factories.new_photo(inspector)
    db.session.commit()
    target = f"/api/v1/inspections/{uuid.uuid4()}"
    failed = replace(ALL_PASS, "desk-dust", answer="fail", photos=[photo.uuid])

    def body(responses, submit=True):
        return {
            "template": checklist.id,
            "site": "ghz-01",
            "started_at": "2026-11-23T09:00:00+08:00",
            "responses": responses,
            "submit": submit,
        }

    assert api.put(target, json=body(failed)).status_code == 201
    token = api.token
    api.token = factories.new_token(supervisor)
    db.session.commit()
    review = api.post(target + "/review", json={"decision": "return", "comment": "Look again"})
    assert review.json["status"] == "returned"
    api.token = token
    return {
        "url": target,
        "body": body,
        "failed": failed,
        "finding": db.session.query(Finding).one(),
    }


def finding_states():
    db.session.expire_all()
    return sorted((f.title, f.status, f.resolution) for f in db.session.query(Finding))


def test_a_draft_may_drop_an_answer_whose_failure_opened_a_finding(api, returned):
    without = [r for r in returned["failed"] if r["item"] != "desk-dust"]
    response = api.put(returned["url"], json=returned["body"](without, submit=False))
    assert response.status_code == 200, response.json
    assert response.json["status"] == "returned"
    # Nothing is decided until the correction is submitted.
    assert finding_states() == [("桌面无灰尘", FindingStatus.OPEN, None)]


def test_an_item_that_no_longer_fails_withdraws_its_open_finding(api, returned):
    without = [r for r in returned["failed"] if r["item"] != "desk-dust"]
    api.put(returned["url"], json=returned["body"](without, submit=False))
    response = api.put(returned["url"], json=returned["body"](ALL_PASS))
    assert response.status_code == 200 and response.json["status"] == "submitted"
    assert finding_states() == [("桌面无灰尘", FindingStatus.CLOSED, "withdrawn")]
    finding = api.get(f"/api/v1/findings/{returned['finding'].uuid}").json
    assert finding["resolution"] == "withdrawn" and finding["verification"]["by"]
    assert db.session.query(AuditEvent).filter_by(action="finding.withdraw").count() == 1


def test_a_fixed_finding_keeps_its_state_when_the_item_is_corrected(api, returned):
    finding = returned["finding"]
    lead = factories.new_user(role=Role.LEAD, department=finding.department)
    after = factories.new_photo(lead)
    token, api.token = api.token, factories.new_token(lead)
    db.session.commit()
    fix = api.post(f"/api/v1/findings/{finding.uuid}/fix", json={"after_photos": [after.uuid]})
    assert fix.json["status"] == "fixed"
    api.token = token
    assert api.put(returned["url"], json=returned["body"](ALL_PASS)).status_code == 200
    assert finding_states() == [("桌面无灰尘", FindingStatus.FIXED, None)]


def test_an_item_still_failing_keeps_its_one_finding_and_new_failures_open_more(api, returned):
    responses = replace(returned["failed"], "floor-spit", answer={"count": 1})
    assert api.put(returned["url"], json=returned["body"](responses)).status_code == 200
    assert [(title, status) for title, status, _ in finding_states()] == [
        ("地面无痰迹，每处扣1分，扣完为止", FindingStatus.OPEN),
        ("桌面无灰尘", FindingStatus.OPEN),
    ]


def test_failing_again_after_a_withdrawal_opens_a_new_finding(api, returned):
    assert api.put(returned["url"], json=returned["body"](ALL_PASS)).status_code == 200
    supervisor = factories.new_user(role=Role.SUPERVISOR)
    token, api.token = api.token, factories.new_token(supervisor)
    db.session.commit()
    api.post(returned["url"] + "/review", json={"decision": "return", "comment": "Desk was dusty"})
    api.token = token
    assert api.put(returned["url"], json=returned["body"](returned["failed"])).status_code == 200
    assert finding_states() == [
        ("桌面无灰尘", FindingStatus.CLOSED, "withdrawn"),
        ("桌面无灰尘", FindingStatus.OPEN, None),
    ]


def before_photos(finding):
    db.session.expire_all()
    return [(link.photo.uuid, link.position) for link in finding.photos if link.stage == "before"]


def test_a_corrected_note_and_photos_reach_the_open_finding(api, returned):
    """The reviewer asked for a close-up: the inspector adds it to the still failing item, and
    the department sees it in the finding, with the corrected note."""
    finding, first = returned["finding"], returned["failed"]
    original = next(r for r in first if r["item"] == "desk-dust")["photos"][0]
    close_up = factories.new_photo(finding.inspection.inspector)
    db.session.commit()
    responses = replace(
        first, "desk-dust", answer="fail", photos=[original, close_up.uuid], note="桌面积灰，见近景"
    )
    assert api.put(returned["url"], json=returned["body"](responses)).status_code == 200
    assert before_photos(finding) == [(original, 0), (close_up.uuid, 1)]
    shown = api.get(f"/api/v1/findings/{finding.uuid}").json
    assert shown["description"] == "桌面积灰，见近景"
    assert shown["before_photos"] == [original, close_up.uuid]
    assert db.session.query(AuditEvent).filter_by(action="finding.correct").count() == 1
    # The same correction sent again (a phone retrying) changes nothing more.
    api.put(returned["url"], json=returned["body"](responses))
    assert db.session.query(AuditEvent).filter_by(action="finding.correct").count() == 1
    # A photo taken off the item leaves the finding too.
    supervisor = factories.new_user(role=Role.SUPERVISOR)
    token, api.token = api.token, factories.new_token(supervisor)
    db.session.commit()
    again = {"decision": "return", "comment": "Only the close-up"}
    api.post(returned["url"] + "/review", json=again)
    api.token = token
    only = replace(first, "desk-dust", answer="fail", photos=[close_up.uuid], note="近景")
    assert api.put(returned["url"], json=returned["body"](only)).status_code == 200
    assert before_photos(finding) == [(close_up.uuid, 0)]

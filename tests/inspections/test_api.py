"""PUT /api/v1/inspections/{uuid}: validation, scoring, idempotency, review, visibility."""

import threading
import uuid

import pytest

from inspector.extensions import db
from inspector.models import AuditEvent, Finding, Inspection, InspectionStatus, Role
from tests import factories
from tests.factories import ALL_PASS, replace


@pytest.fixture
def world(app):
    """A department with a site, the office checklist and an inspector with a token."""
    department = factories.new_department(code="finance")
    site = factories.new_site(department=department, code="A-302")
    checklist = factories.new_checklist()
    db.session.commit()
    return {"site": site, "checklist": checklist, "department": department}


def body(world, responses=None, submit=True, **extra):
    return {
        "template": world["checklist"].id,
        "site": "A-302",
        "started_at": "2026-11-23T09:00:00+08:00",
        "responses": ALL_PASS if responses is None else responses,
        "submit": submit,
        **extra,
    }


def url():
    return f"/api/v1/inspections/{uuid.uuid4()}"


def test_submit_scores_and_answers_201(api, world):
    api.as_role(Role.INSPECTOR)
    responses = replace(ALL_PASS, "litter", answer={"count": 2})
    response = api.put(url(), json=body(world, responses))
    assert response.status_code == 201
    data = response.json
    assert data["status"] == "submitted" and data["department"] == "finance"
    # possible 3+2+4+3+5+5+2+4 = 28; earned 28 - 2 = 26 -> 92.9
    assert data["score"] == {"earned": 26, "possible": 28, "percent": 92.9}
    assert data["critical_failed"] is False
    assert {r["item"]: r["earned"] for r in data["responses"]}["litter"] == 3


def test_same_body_again_is_200_with_the_stored_result(api, world):
    api.as_role(Role.INSPECTOR)
    target = url()
    first = api.put(target, json=body(world))
    again = api.put(target, json=body(world))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json == again.json
    assert db.session.query(Inspection).count() == 1


def test_different_body_after_submit_is_409(api, world):
    api.as_role(Role.INSPECTOR)
    target = url()
    api.put(target, json=body(world))
    changed = body(world, replace(ALL_PASS, "windows", answer=1))
    response = api.put(target, json=changed)
    assert response.status_code == 409 and response.json["error"]["code"] == "conflict"
    assert api.get(f"/api/v1{target[7:]}").json["score"]["earned"] == 28


def test_draft_may_be_saved_again_and_then_submitted(api, world):
    api.as_role(Role.INSPECTOR)
    target = url()
    draft = api.put(target, json=body(world, ALL_PASS[:2], submit=False))
    assert draft.status_code == 201 and draft.json["status"] == "draft"
    assert draft.json["score"]["possible"] == 5
    assert api.put(target, json=body(world, ALL_PASS[:3], submit=False)).status_code == 200
    done = api.put(target, json=body(world))
    assert done.status_code == 200 and done.json["status"] == "submitted"
    assert len(done.json["responses"]) == len(ALL_PASS)


@pytest.mark.parametrize(
    "change, field",
    [
        (
            lambda b: {**b, "responses": [*b["responses"], {"item": "ghost", "answer": "pass"}]},
            "responses.9.item",
        ),
        (
            lambda b: {**b, "responses": replace(b["responses"], "desk-dust", answer="yes")},
            "responses.desk-dust.answer",
        ),
        (
            lambda b: {**b, "responses": replace(b["responses"], "windows", answer=7)},
            "responses.windows.answer",
        ),
        (
            lambda b: {**b, "responses": replace(b["responses"], "litter", answer=2)},
            "responses.litter.answer",
        ),
        (lambda b: {**b, "responses": b["responses"][1:]}, "responses.documents"),
        (
            lambda b: {**b, "responses": replace(b["responses"], "smoking", answer="fail")},
            "responses.smoking.photos",
        ),
        (
            lambda b: {
                **b,
                "responses": replace(b["responses"], "documents", photos=[str(uuid.uuid4())]),
            },
            "responses.documents.photos",
        ),
        (lambda b: {**b, "template": 9999}, "template"),
        (lambda b: {**b, "site": "nowhere"}, "site"),
        (lambda b: {**b, "started_at": "yesterday"}, "started_at"),
        (lambda b: {**b, "colour": "red"}, "colour"),
        (lambda b: {k: v for k, v in b.items() if k != "site"}, "site"),
    ],
)
def test_invalid_inspections_are_422_naming_the_fault(api, world, change, field):
    api.as_role(Role.INSPECTOR)
    response = api.put(url(), json=change(body(world)))
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"]
    assert db.session.query(Inspection).count() == 0


def test_missing_answers_are_fine_in_a_draft(api, world):
    api.as_role(Role.INSPECTOR)
    assert api.put(url(), json=body(world, [], submit=False)).status_code == 201


def test_failed_items_with_photos_open_findings(api, world):
    inspector = api.as_role(Role.INSPECTOR)
    photo = factories.new_photo(inspector)
    db.session.commit()
    responses = replace(
        ALL_PASS, "smoking", answer="fail", photos=[photo.uuid], note="楼梯间有烟头"
    )
    responses = replace(responses, "litter", answer={"count": 1})
    data = api.put(
        url(), json=body(world, responses, submitted_at="2026-11-23T10:00:00+08:00")
    ).json
    assert data["critical_failed"] is True
    findings = db.session.query(Finding).order_by(Finding.id).all()
    assert [f.title for f in findings] == ["公共场所无吸烟", "乱吐乱扔，每处扣1分，扣完为止"]
    assert findings[0].description == "楼梯间有烟头"
    assert [p.photo.uuid for p in findings[0].photos] == [photo.uuid]
    assert findings[0].department.code == "finance"
    assert str(findings[0].due) == "2026-11-30"  # FINDING_DUE_DAYS after submission


def test_someone_elses_photo_counts_as_not_uploaded(api, world):
    other = factories.new_user(role=Role.INSPECTOR)
    photo = factories.new_photo(other)
    api.as_role(Role.INSPECTOR)
    responses = replace(ALL_PASS, "documents", photos=[photo.uuid])
    assert api.put(url(), json=body(world, responses)).status_code == 422


def test_review_return_correct_resubmit_approve(api, world, client):
    inspector = api.as_role(Role.INSPECTOR)
    inspector_token = api.token
    target = url()
    api.put(target, json=body(world))
    api.as_role(Role.SUPERVISOR)
    review = f"/api/v1{target[7:]}/review"
    assert api.post(review, json={"decision": "return"}).status_code == 422  # needs a comment
    returned = api.post(review, json={"decision": "return", "comment": "请补拍桌面照片"})
    assert returned.json["status"] == "returned"
    assert returned.json["review"]["comment"] == "请补拍桌面照片"
    api.token = inspector_token
    fixed = api.put(target, json=body(world, replace(ALL_PASS, "windows", answer=2)))
    assert fixed.status_code == 200 and fixed.json["status"] == "submitted"
    api.as_role(Role.SUPERVISOR)
    approved = api.post(review, json={"decision": "approve"})
    assert approved.json["status"] == "approved"
    assert api.post(review, json={"decision": "approve"}).status_code == 200  # retry
    assert api.post(review, json={"decision": "return", "comment": "x"}).status_code == 409
    actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert [a for a in actions if a.startswith("inspection.")] == [
        "inspection.submit",
        "inspection.return",
        "inspection.resubmit",
        "inspection.approve",
    ]
    assert inspector.id


@pytest.mark.parametrize("role", [Role.INSPECTOR, Role.LEAD])
def test_only_supervisors_and_admins_review(api, world, role):
    api.as_role(Role.INSPECTOR)
    target = url()
    api.put(target, json=body(world))
    api.as_role(role, department=world["department"])
    response = api.post(f"/api/v1{target[7:]}/review", json={"decision": "approve"})
    assert response.status_code in (403, 404)
    assert db.session.query(Inspection).one().status == InspectionStatus.SUBMITTED


def test_visibility_per_role(api, world):
    author = api.as_role(Role.INSPECTOR)
    target = url()
    api.put(target, json=body(world))
    path = f"/api/v1{target[7:]}"
    assert api.get(path).status_code == 200
    api.as_role(Role.INSPECTOR)  # another inspector
    assert api.get(path).status_code == 404
    assert api.put(target, json=body(world)).status_code == 404
    api.as_role(Role.LEAD, department=world["department"])
    assert api.get(path).status_code == 200
    assert api.put(target, json=body(world)).status_code == 403
    api.as_role(Role.LEAD)  # lead of another department
    assert api.get(path).status_code == 404
    assert api.get("/api/v1/inspections").json["items"] == []
    api.as_role(Role.SUPERVISOR)
    assert api.get(path).status_code == 200
    assert api.put(url(), json=body(world)).status_code == 403
    assert author.id


def test_list_filters(api, world):
    api.as_role(Role.INSPECTOR)
    api.put(url(), json=body(world, submitted_at="2026-11-22T23:59:00+08:00"))
    api.put(url(), json=body(world, submitted_at="2026-11-23T00:01:00+08:00"))
    api.put(url(), json=body(world, [], submit=False))
    api.as_role(Role.SUPERVISOR)
    monday = api.get("/api/v1/inspections?from=2026-11-23&to=2026-11-29").json["items"]
    assert len(monday) == 1
    assert len(api.get("/api/v1/inspections?status=draft").json["items"]) == 1
    assert len(api.get("/api/v1/inspections?department=finance").json["items"]) == 3
    assert api.get("/api/v1/inspections?from=someday").status_code == 400


def test_concurrent_identical_puts_make_one_record(app, api, world):
    api.as_role(Role.INSPECTOR)
    target, payload, statuses = url(), body(world), []

    def put():
        with app.app_context():  # each thread is its own request, as on a server
            response = app.test_client().put(target, json=payload, headers=api.headers())
            statuses.append(response.status_code)

    threads = [threading.Thread(target=put) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * 5 + [201]
    db.session.commit()  # end the test's own read snapshot to see the threads' writes
    assert db.session.query(Inspection).count() == 1

"""Checklist lifecycle (draft, published, retired), site kinds, copies and generated keys."""

import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from inspector.checklists.format import fill_missing_keys
from inspector.demo.checklists import OFFICE_WEEKLY
from inspector.extensions import db
from inspector.models import AuditEvent, Checklist, ChecklistStatus, Role, SiteKind
from tests import factories
from tests.checklists.test_checklists import CONTRACT_EXAMPLE, editor_form
from tests.factories import ALL_PASS


@pytest.fixture
def world(app):
    """An office and a residential site, and the office checklist as the API makes it."""
    department = factories.new_department(code="finance")
    factories.new_site(department=department, code="A-302", kind=SiteKind.OFFICE)
    factories.new_site(department=department, code="R-1", kind=SiteKind.RESIDENTIAL)
    checklist = factories.new_checklist()
    db.session.commit()
    return checklist


def put_inspection(api, checklist, site="A-302", submit=True):
    body = {
        "template": checklist.id,
        "site": site,
        "started_at": "2026-11-23T09:00:00+08:00",
        "responses": ALL_PASS,
        "submit": submit,
    }
    return api.put(f"/api/v1/inspections/{uuid.uuid4()}", json=body)


def set_status(checklist, status):
    db.session.query(Checklist).filter_by(code=checklist.code).update({"status": status})
    db.session.commit()


def offered_ids(api):
    return [t["id"] for t in api.get("/api/v1/templates").json["items"]]


def test_a_checklist_posted_to_the_api_is_published_at_once(api, world):
    api.as_role(Role.INSPECTOR)
    assert world.status == ChecklistStatus.PUBLISHED
    assert offered_ids(api) == [world.id]
    assert put_inspection(api, world).status_code == 201


def test_a_draft_is_the_admins_own_to_try(api, world):
    set_status(world, ChecklistStatus.DRAFT)
    api.as_role(Role.INSPECTOR)
    assert offered_ids(api) == []
    assert api.get(f"/api/v1/templates/{world.id}").status_code == 404
    refused = put_inspection(api, world)
    assert refused.status_code == 422 and "template" in refused.json["error"]["fields"]
    api.as_role(Role.ADMIN)
    assert api.get("/api/v1/templates").json["items"][0]["status"] == "draft"
    assert put_inspection(api, world).status_code == 201


def test_retired_offers_no_new_inspections_but_old_ones_keep_it(api, world):
    inspector = api.as_role(Role.INSPECTOR)
    target = f"/api/v1/inspections/{uuid.uuid4()}"
    body = {
        "template": world.id,
        "site": "A-302",
        "started_at": "2026-11-23T09:00:00+08:00",
        "responses": ALL_PASS,
        "submit": False,
    }
    assert api.put(target, json=body).status_code == 201  # a draft begun before retirement
    set_status(world, ChecklistStatus.RETIRED)
    assert offered_ids(api) == []
    assert [t["id"] for t in api.get("/api/v1/templates?all=true").json["items"]] == [world.id]
    assert put_inspection(api, world).status_code == 422
    done = api.put(target, json={**body, "submit": True})
    assert done.status_code == 200 and done.json["status"] == "submitted"
    assert api.get(target).json["template"] == world.id
    assert inspector.id


def test_an_inspection_begun_on_a_phone_before_the_checklist_was_retired_still_lands(
    client, login_as, api, world
):
    login_as(Role.ADMIN)
    assert (
        client.post(f"/checklists/{world.id}/status", data={"action": "retire"}).status_code == 303
    )
    retired_at = db.session.get(Checklist, world.id).retired_at
    api.as_role(Role.INSPECTOR)

    def begun(at):
        body = {"template": world.id, "site": "A-302", "responses": ALL_PASS, "submit": True}
        if at is not None:
            body["started_at"] = at.isoformat()
        return api.put(f"/api/v1/inspections/{uuid.uuid4()}", json=body)

    assert begun(retired_at - timedelta(hours=3)).status_code == 201  # offline since morning
    assert begun(retired_at - timedelta(days=8)).status_code == 422  # a clock a week wrong
    refused = begun(retired_at + timedelta(seconds=1))
    assert refused.status_code == 422 and "template" in refused.json["error"]["fields"]
    assert begun(None).status_code == 422
    login_as(Role.ADMIN)  # published again: no longer retired, and no time kept
    client.post(f"/checklists/{world.id}/status", data={"action": "publish"})
    assert db.session.get(Checklist, world.id).retired_at is None


def test_a_checklist_limited_to_site_kinds_is_refused_elsewhere(client, login_as, api, world):
    login_as(Role.ADMIN)
    page = client.post(f"/checklists/{world.id}/site-kinds", data={"kind": ["residential"]})
    assert page.status_code == 303
    api.as_role(Role.INSPECTOR)
    refused = put_inspection(api, world, site="A-302")
    assert refused.status_code == 422
    assert put_inspection(api, world, site="R-1").status_code == 201
    assert api.get(f"/api/v1/templates/{world.id}").json["site_kinds"] == ["residential"]


def test_the_admin_publishes_retires_and_every_version_follows(client, login_as, world):
    login_as(Role.ADMIN)
    client.post("/checklists/new", data={**editor_form(CONTRACT_EXAMPLE), "action": "save"})
    draft = db.session.query(Checklist).filter_by(code="office-weekly", version=2).one()
    assert draft.status == ChecklistStatus.PUBLISHED  # a new version keeps its code's status
    for action, status in [("retire", "retired"), ("publish", "published"), ("unpublish", "draft")]:
        answer = client.post(f"/checklists/{world.id}/status", data={"action": action})
        assert answer.status_code == 303
        db.session.expire_all()
        assert {c.status for c in db.session.query(Checklist)} == {ChecklistStatus(status)}
    assert client.post(f"/checklists/{world.id}/status", data={"action": "x"}).status_code == 422


def test_a_new_checklist_from_the_editor_is_a_draft_only_admins_see(client, login_as, app):
    login_as(Role.ADMIN)
    document = {**CONTRACT_EXAMPLE, "code": "new-one", "name": "新检查表"}
    client.post("/checklists/new", data={**editor_form(document), "action": "save"})
    checklist = db.session.query(Checklist).filter_by(code="new-one").one()
    assert checklist.status == ChecklistStatus.DRAFT
    assert "新检查表" in client.get("/checklists/").text
    client.post("/logout", data={})
    with client.session_transaction() as session:
        session.clear()
    login_as(Role.SUPERVISOR)
    assert "新检查表" not in client.get("/checklists/").text
    assert client.get(f"/checklists/{checklist.id}").status_code == 404


def test_copying_opens_the_editor_with_a_new_code_to_fill(client, login_as, world):
    login_as(Role.ADMIN)
    page = client.get(f"/checklists/new?copy={world.id}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert 'id="code" name="code" value=""' in page.text
    assert f"{world.name} (copy)" in page.text
    assert 'value="desk-dust"' in page.text


def blank_keys(document):
    form = editor_form(document)
    return {k: ("" if k.endswith(".key") else v) for k, v in form.items()}


def test_blank_keys_are_generated_once_and_never_reused(client, login_as, app):
    login_as(Role.ADMIN)
    document = {**CONTRACT_EXAMPLE, "code": "keys"}
    client.post("/checklists/new", data={**blank_keys(document), "action": "save"})
    first = db.session.query(Checklist).filter_by(code="keys").one()
    assert [i.key for i in first.items] == ["item-1", "item-2", "item-3", "item-4", "item-5"]
    # Edit: drop the last item (item-5), add a new one without a key.
    form = editor_form({"code": "keys", "name": "n", "sections": [{"title": "t", "items": []}]})
    for n, item in enumerate(first.items[:4]):
        form.update(
            {
                f"sections.0.items.{n}.key": item.key,
                f"sections.0.items.{n}.text": item.text,
                f"sections.0.items.{n}.type": str(item.type),
                f"sections.0.items.{n}.points": f"{item.points:g}" if item.points else "",
            }
        )
    form.update(
        {
            "sections.0.items.4.key": "",
            "sections.0.items.4.text": "新的",
            "sections.0.items.4.type": "check",
            "sections.0.items.4.points": "1",
        }
    )
    answer = client.post(f"/checklists/{first.id}/edit", data={**form, "action": "save"})
    assert answer.status_code == 303, answer.text
    second = db.session.query(Checklist).filter_by(code="keys", version=2).one()
    assert [i.key for i in second.items] == ["item-1", "item-2", "item-3", "item-4", "item-6"]


def test_fill_missing_keys_leaves_given_keys_alone():
    document = {"sections": [{"items": [{"key": "item-7"}, {"text": "a"}, {"key": ""}]}]}
    fill_missing_keys(document, used={"item-2", "x"})
    assert [i["key"] for i in document["sections"][0]["items"]] == ["item-7", "item-8", "item-9"]


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("zh", "第1组第1项（桌面无灰尘）：分值必须大于 0"),
        ("en", "Section 1, item 1 (桌面无灰尘): Points must be above 0."),
    ],
)
def test_import_faults_name_section_item_and_text(client, login_as, language, line):
    import json

    login_as(Role.ADMIN)
    document = {**CONTRACT_EXAMPLE, "sections": [dict(CONTRACT_EXAMPLE["sections"][0])]}
    items = [dict(i) for i in document["sections"][0]["items"]]
    items[0]["points"] = 0
    document["sections"][0]["items"] = items
    page = client.post(
        "/checklists/import",
        data={"text": json.dumps(document, ensure_ascii=False)},
        headers={"Accept-Language": language},
    )
    assert page.status_code == 422
    assert line in page.text
    assert "sections.0.items.0.points" not in page.text


def test_the_field_app_is_offered_what_the_api_offers(client, login_as, world):
    set_status(world, ChecklistStatus.DRAFT)
    login_as(Role.INSPECTOR)
    assert client.get("/field/data.json").json["templates"] == []
    set_status(world, ChecklistStatus.PUBLISHED)
    db.session.query(Checklist).update({"site_kinds": "office"})
    db.session.commit()
    (offered,) = client.get("/field/data.json").json["templates"]
    assert (offered["status"], offered["site_kinds"]) == ("published", ["office"])
    set_status(world, ChecklistStatus.RETIRED)
    assert client.get("/field/data.json").json["templates"] == []


def test_a_new_item_has_no_type_chosen_for_the_admin(client, login_as, app):
    login_as(Role.ADMIN)
    page = client.get("/checklists/new").text
    select = page.split('name="sections.0.items.0.type"')[1].split("</select>")[0]
    assert '<option value="">请选择…</option>' in select and "selected" not in select
    form = {"code": "t", "name": "n", "sections.0.title": "s", "sections.0.items.0.key": ""}
    form.update({"sections.0.items.0.text": "桌面", "sections.0.items.0.points": "2"})
    answer = client.post("/checklists/new", data={**form, "action": "save"})
    assert "请选择类型。" in answer.text and db.session.query(Checklist).count() == 0


def test_a_blank_code_is_made_too(client, login_as, app):
    login_as(Role.ADMIN)
    form = {**blank_keys({**CONTRACT_EXAMPLE, "code": ""}), "code": ""}
    assert client.post("/checklists/new", data={**form, "action": "save"}).status_code == 303
    assert [c.code for c in db.session.query(Checklist)] == ["checklist-1"]


def test_the_admins_home_counts_the_checklists_in_use(client, login_as, world):
    """Drafts being tried and retired checklists are not in use (the home's figure)."""
    other = factories.new_checklist({**OFFICE_WEEKLY, "code": "other", "name": "其他"})
    login_as(Role.ADMIN)

    def in_use():
        page = client.get("/", headers={"Accept-Language": "en"}).text
        return int(re.search(r'figure">(\d+)</span>\s*<span[^>]*>checklists in use', page)[1])

    assert in_use() == 2
    set_status(other, ChecklistStatus.DRAFT)
    assert in_use() == 1
    set_status(world, ChecklistStatus.RETIRED)
    assert in_use() == 0


def test_the_api_publishes_retires_and_limits_a_checklist(api, world):
    api.as_role(Role.ADMIN)
    url = f"/api/v1/templates/{world.id}"
    retired = api.patch(url, json={"status": "retired"})
    assert retired.status_code == 200 and retired.json["status"] == "retired"
    assert db.session.get(Checklist, world.id).retired_at is not None
    assert api.patch(url, json={"status": "retired"}).status_code == 200  # a retry: no change
    refused = api.patch(url, json={"status": "draft"})
    assert refused.status_code == 422 and "status" in refused.json["error"]["fields"]
    both = api.patch(url, json={"status": "published", "site_kinds": ["residential"]})
    assert (both.json["status"], both.json["site_kinds"]) == ("published", ["residential"])
    assert api.patch(url, json={}).status_code == 422
    assert api.patch(url, json={"site_kinds": ["moon"]}).status_code == 422
    assert api.patch("/api/v1/templates/999999", json={"status": "draft"}).status_code == 404
    api.as_role(Role.INSPECTOR)
    assert api.patch(url, json={"status": "retired"}).status_code == 403
    assert put_inspection(api, world, site="R-1").status_code == 201
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions.count("checklist.retire") == 1 and "checklist.site_kinds" in actions

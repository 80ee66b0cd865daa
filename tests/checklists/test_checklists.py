"""Checklists: the JSON format, versions, the API and the browser editor."""

import copy
import json

import pytest

from inspector.checklists.format import check_checklist
from inspector.checklists.services import checklist_document, save_checklist
from inspector.demo.checklists import DEMO_CHECKLISTS, OFFICE_WEEKLY
from inspector.extensions import db
from inspector.models import AuditEvent, Checklist, Role

CONTRACT_EXAMPLE = {
    "code": "office-weekly",
    "name": "办公环境周检",
    "sections": [
        {
            "title": "桌面与资料",
            "items": [
                {
                    "key": "desk-dust",
                    "text": "桌面无灰尘",
                    "type": "check",
                    "points": 2,
                    "photo_on_fail": True,
                },
                {
                    "key": "smoking",
                    "text": "公共场所无吸烟",
                    "type": "check",
                    "points": 5,
                    "critical": True,
                },
                {
                    "key": "litter",
                    "text": "乱丢乱扔，每处扣1分，扣完为止",
                    "type": "deduct",
                    "points": 5,
                    "per": 1,
                },
                {"key": "parking", "text": "车辆停放整齐", "type": "scale", "points": 4},
                {"key": "remarks", "text": "其他情况", "type": "text"},
            ],
        }
    ],
}


def with_change(path, value):
    """Return the contract example with one field changed (value None deletes it)."""
    document = copy.deepcopy(CONTRACT_EXAMPLE)
    *parents, last = path
    target = document
    for part in parents:
        target = target[part]
    if value is None:
        del target[last]
    else:
        target[last] = value
    return document


ITEM = ("sections", 0, "items")


@pytest.mark.parametrize("document", [CONTRACT_EXAMPLE, *DEMO_CHECKLISTS])
def test_valid_checklists_have_no_faults(document):
    assert check_checklist(document) == []


@pytest.mark.parametrize(
    "path, value, field",
    [
        (("code",), "bad code", "code"),
        (("code",), None, "code"),
        (("name",), "", "name"),
        (("sections",), [], "sections"),
        (("colour",), "red", "colour"),
        ((*ITEM, 1, "key"), "desk-dust", "sections.0.items.1.key"),
        ((*ITEM, 0, "type"), "photo", "sections.0.items.0.type"),
        ((*ITEM, 0, "points"), 0, "sections.0.items.0.points"),
        ((*ITEM, 0, "points"), -2, "sections.0.items.0.points"),
        ((*ITEM, 0, "points"), "2", "sections.0.items.0.points"),
        ((*ITEM, 0, "points"), None, "sections.0.items.0.points"),
        ((*ITEM, 3, "points"), 2.5, "sections.0.items.3.points"),
        ((*ITEM, 2, "per"), 0, "sections.0.items.2.per"),
        ((*ITEM, 0, "per"), 1, "sections.0.items.0.per"),
        ((*ITEM, 4, "points"), 3, "sections.0.items.4.points"),
        ((*ITEM, 1, "critical"), "yes", "sections.0.items.1.critical"),
        ((*ITEM, 1, "text"), "", "sections.0.items.1.text"),
        ((*ITEM, 1, "weight"), 2, "sections.0.items.1.weight"),
        (("sections", 0, "items"), [], "sections.0.items"),
        (("sections", 0), "not a section", "sections.0"),
    ],
)
def test_each_fault_is_named(path, value, field):
    faults = check_checklist(with_change(path, value))
    assert field in {fault.field for fault in faults}


def test_posting_an_existing_code_makes_a_new_version(app):
    first = save_checklist(None, CONTRACT_EXAMPLE)
    db.session.commit()
    second = save_checklist(None, with_change((*ITEM, 0, "points"), 3))
    db.session.commit()
    assert (first.version, second.version) == (1, 2)
    assert not db.session.get(Checklist, first.id).is_current and second.is_current
    assert (
        checklist_document(db.session.get(Checklist, first.id))["sections"][0]["items"][0]["points"]
        == 2
    )  # the old version is untouched


def test_export_then_import_round_trips(app):
    saved = save_checklist(None, OFFICE_WEEKLY)
    db.session.commit()
    exported = checklist_document(saved)
    assert check_checklist(exported) == []
    again = save_checklist(None, json.loads(json.dumps(exported)))
    assert checklist_document(again) == exported


def test_api_create_list_and_show(api):
    api.as_role(Role.ADMIN)
    response = api.post("/api/v1/templates", json=CONTRACT_EXAMPLE)
    assert response.status_code == 201
    body = response.json
    assert (body["code"], body["version"], body["current"]) == ("office-weekly", 1, True)
    assert body["sections"][0]["items"][2] == {
        "key": "litter",
        "text": "乱丢乱扔，每处扣1分，扣完为止",
        "type": "deduct",
        "points": 5,
        "per": 1,
        "critical": False,
        "photo_on_fail": False,
    }
    assert api.post("/api/v1/templates", json=CONTRACT_EXAMPLE).json["version"] == 2
    listed = api.get("/api/v1/templates").json["items"]
    assert [(t["code"], t["version"]) for t in listed] == [("office-weekly", 2)]
    assert len(api.get("/api/v1/templates?all=true").json["items"]) == 2
    assert api.get(f"/api/v1/templates/{body['id']}").json["version"] == 1
    assert api.get("/api/v1/templates/9999").status_code == 404


def test_api_bad_checklist_is_422_naming_faults(api):
    api.as_role(Role.ADMIN)
    response = api.post("/api/v1/templates", json=with_change((*ITEM, 1, "key"), "desk-dust"))
    assert response.status_code == 422
    assert "sections.0.items.1.key" in response.json["error"]["fields"]
    assert db.session.query(Checklist).count() == 0


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.INSPECTOR, Role.LEAD])
def test_only_admins_write_checklists(api, role):
    api.as_role(role)
    assert api.post("/api/v1/templates", json=CONTRACT_EXAMPLE).status_code == 403
    assert api.get("/api/v1/templates").status_code == 200


def editor_form(document):
    """The fields the browser editor would submit for `document`."""
    form = {"code": document["code"], "name": document["name"]}
    for s, section in enumerate(document["sections"]):
        form[f"sections.{s}.title"] = section["title"]
        for i, item in enumerate(section["items"]):
            prefix = f"sections.{s}.items.{i}"
            form.update(
                {
                    f"{prefix}.key": item["key"],
                    f"{prefix}.text": item["text"],
                    f"{prefix}.type": item["type"],
                    f"{prefix}.points": str(item.get("points", "")),
                    f"{prefix}.per": str(item.get("per", "")),
                }
            )
            for flag in ("critical", "photo_on_fail"):
                if item.get(flag):
                    form[f"{prefix}.{flag}"] = "on"
    return form


def test_browser_editor_creates_and_versions(client, login_as):
    login_as(Role.ADMIN)
    response = client.post(
        "/checklists/new", data={**editor_form(CONTRACT_EXAMPLE), "action": "save"}
    )
    assert response.status_code == 303
    saved = db.session.query(Checklist).one()
    assert checklist_document(saved)["sections"] == [
        {
            **CONTRACT_EXAMPLE["sections"][0],
            "items": [
                {**{"critical": False, "photo_on_fail": False}, **i} if i["type"] != "text" else i
                for i in CONTRACT_EXAMPLE["sections"][0]["items"]
            ],
        }
    ]
    form = editor_form(checklist_document(saved))
    form["sections.0.items.0.points"] = "3"
    assert (
        client.post(f"/checklists/{saved.id}/edit", data={**form, "action": "save"}).status_code
        == 303
    )
    assert db.session.query(Checklist).filter_by(code="office-weekly").count() == 2
    assert db.session.query(AuditEvent).filter_by(action="checklist.create").count() == 2


def test_saving_without_changes_makes_no_version(client, login_as):
    login_as(Role.ADMIN)
    saved = save_checklist(None, CONTRACT_EXAMPLE)
    db.session.commit()
    form = editor_form(checklist_document(saved))
    client.post(f"/checklists/{saved.id}/edit", data={**form, "action": "save"})
    assert db.session.query(Checklist).count() == 1


def test_editor_buttons_add_and_move_items_without_saving(client, login_as):
    login_as(Role.ADMIN)
    form = editor_form(CONTRACT_EXAMPLE)
    html = client.post("/checklists/new", data={**form, "action": "add-item:0"}).text
    assert 'name="sections.0.items.5.key"' in html
    html = client.post("/checklists/new", data={**form, "action": "down-item:0:0"}).text
    assert html.index('value="smoking"') < html.index('value="desk-dust"')
    assert db.session.query(Checklist).count() == 0


def test_editor_shows_faults_next_to_fields(client, login_as):
    login_as(Role.ADMIN)
    form = editor_form(CONTRACT_EXAMPLE)
    form["sections.0.items.0.points"] = "-1"
    html = client.post(
        "/checklists/new", data={**form, "action": "save"}, headers={"Accept-Language": "en"}
    ).text
    assert "Points must be above 0." in html
    assert db.session.query(Checklist).count() == 0


def test_import_and_export_in_the_browser(client, login_as):
    login_as(Role.ADMIN)
    response = client.post(
        "/checklists/import", data={"text": json.dumps(CONTRACT_EXAMPLE, ensure_ascii=False)}
    )
    assert response.status_code == 303
    saved = db.session.query(Checklist).one()
    exported = client.get(f"/checklists/{saved.id}/export")
    assert exported.headers["Content-Disposition"].startswith("attachment")
    assert exported.json["code"] == "office-weekly"
    bad = client.post(
        "/checklists/import", data={"text": "{not json"}, headers={"Accept-Language": "en"}
    )
    assert bad.status_code == 200 and "not valid JSON" in bad.text


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.INSPECTOR, Role.LEAD])
def test_checklist_writing_screens_are_admin_only(client, login_as, role):
    login_as(role)
    assert client.get("/checklists/new").status_code == 403
    assert client.get("/checklists/import").status_code == 403


def test_an_old_version_is_never_the_base_of_a_new_one(client, login_as):
    login_as(Role.ADMIN)
    first = save_checklist(None, OFFICE_WEEKLY)
    db.session.commit()
    form = editor_form(checklist_document(first))  # the form as opened on version 1
    # Meanwhile someone saves version 2 with a changed item.
    changed = copy.deepcopy(OFFICE_WEEKLY)
    changed["sections"][0]["items"][0]["text"] = "资料摆放整齐（新）"
    second = save_checklist(None, changed)
    db.session.commit()
    # Opening version 1's editor now starts from version 2.
    opened = client.get(f"/checklists/{first.id}/edit")
    assert opened.status_code == 303 and opened.location.endswith(f"/checklists/{second.id}/edit")
    # A form opened on version 1 before version 2 existed is not saved, and says what it drops.
    form["name"] = "办公环境周检（改）"
    answer = client.post(
        f"/checklists/{first.id}/edit",
        data={**form, "action": "save"},
        headers={"Accept-Language": "en"},
    )
    assert answer.status_code == 409
    assert "资料摆放整齐（新）" in answer.text and "Edit version 2" in answer.text
    versions = db.session.query(Checklist).filter_by(code=first.code).count()
    assert versions == 2


def test_saving_refuses_a_stale_base_version_at_the_service(app):
    from inspector.errors import ConflictError

    first = save_checklist(None, OFFICE_WEEKLY)
    document = checklist_document(first)
    save_checklist(None, {**document, "name": "v2"}, based_on=first)
    with pytest.raises(ConflictError):
        save_checklist(None, {**document, "name": "v3 from v1"}, based_on=first)

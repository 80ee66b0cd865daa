"""Free text has documented maximum lengths, forms a maximum size, and a 422 names the faults
without echoing the input back."""

import uuid
from datetime import UTC, datetime

import pytest

from inspector.api.openapi import build_spec
from inspector.extensions import db
from inspector.limits import MAX_FIELD_ERRORS, TEXT_LENGTH, TITLE_LENGTH
from inspector.models import Finding, FindingStatus, Inspection, Role
from tests import factories

TOO_LONG = "长" * (TEXT_LENGTH + 1)


@pytest.fixture
def world(app):
    department = factories.new_department(code="finance")
    site = factories.new_site(department=department, code="A-302")
    checklist = factories.new_checklist()
    db.session.commit()
    return {"site": site, "checklist": checklist}


def inspection_body(world, responses, submit=False):
    return {
        "template": world["checklist"].id,
        "site": "A-302",
        "started_at": "2026-11-23T09:00:00+08:00",
        "responses": responses,
        "submit": submit,
    }


def test_a_text_answer_has_a_maximum_length(api, world):
    api.as_role(Role.INSPECTOR)
    responses = [{"item": "remarks", "answer": TOO_LONG}]
    for language, fault in [("en", "At most 2000 characters."), ("zh-CN", "最多 2000 个字符。")]:
        response = api.put(
            f"/api/v1/inspections/{uuid.uuid4()}",
            json=inspection_body(world, responses),
            headers={"Accept-Language": language},  # the field app lists it under a refusal
        )
        assert response.status_code == 422
        assert response.json["error"]["fields"] == {"responses.0.answer": fault}
    responses = [{"item": "remarks", "answer": TOO_LONG[1:]}]
    response = api.put(
        f"/api/v1/inspections/{uuid.uuid4()}", json=inspection_body(world, responses)
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/api/v1/departments", {"code": "d", "name": "名" * 101}, "name"),
        ("/api/v1/sites", {"code": "s", "name": "S", "kind": "office", "department": "d" * 33},
         "department"),
        ("/api/v1/templates", {"code": "c", "name": "n" * 201, "sections": []}, "name"),
    ],
)  # fmt: skip
def test_api_names_have_maximum_lengths(api, world, path, body, field):
    api.as_role(Role.ADMIN)
    response = api.post(path, json=body)
    assert response.status_code == 422 and field in response.json["error"]["fields"]


def strings(spec, schema, where):
    """Every string schema inside `schema`, with where it is, following $refs."""
    if not isinstance(schema, dict):
        return
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        yield from strings(spec, spec["components"]["schemas"][name], where)
    kinds = schema.get("type") or []
    if "string" in (kinds if isinstance(kinds, list) else [kinds]):
        yield where, schema
    children = [(f"{where}.{key}", sub) for key, sub in schema.get("properties", {}).items()]
    children += [(f"{where}[]", schema.get(key)) for key in ("items", "additionalProperties")]
    children += [(where, sub) for key in ("anyOf", "oneOf", "allOf") for sub in schema.get(key, [])]
    for name, sub in children:
        yield from strings(spec, sub, name)


def bounded(schema):
    return bool({"maxLength", "enum", "const"} & set(schema)) or schema.get("format") == "binary"


def test_every_request_string_has_a_documented_maximum(app):
    """openapi.json gives every free-text field of a request a maxLength (or a closed set)."""
    spec = build_spec("http://localhost/api/v1")
    unbounded = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                operation = {"parameters": operation}  # noqa: PLW2901  (shared by the path's methods)
            where = f"{method} {path}"
            for parameter in operation.get("parameters", []):
                found = strings(spec, parameter["schema"], f"{where} {parameter['name']}")
                unbounded += [name for name, schema in found if not bounded(schema)]
            for media in operation.get("requestBody", {}).get("content", {}).values():
                found = strings(spec, media["schema"], where)
                unbounded += [name for name, schema in found if not bounded(schema)]
    assert unbounded == []


def test_urlencoded_forms_have_the_multipart_size_limit(app, client, login_as, world):
    inspection = factories.new_inspection(world["site"], 90.0, datetime.now(UTC))
    db.session.commit()
    login_as(Role.SUPERVISOR)
    limit = app.config["MAX_FORM_MEMORY_SIZE"]
    url = f"/inspections/{inspection.uuid}/decision"
    response = client.post(url, data={"decision": "return", "comment": "x" * (limit + 1)})
    assert response.status_code == 413
    assert db.session.get(Inspection, inspection.id).status == "submitted"


def test_notes_have_a_maximum_length(api, world):
    api.as_role(Role.INSPECTOR)
    for length, status in ((TEXT_LENGTH + 1, 422), (TEXT_LENGTH, 201)):
        note = [{"item": "windows", "answer": 2, "note": "x" * length}]
        response = api.put(f"/api/v1/inspections/{uuid.uuid4()}", json=inspection_body(world, note))
        assert response.status_code == status, response.text
    assert db.session.query(Inspection).one().responses[0].note == "x" * TEXT_LENGTH


def test_web_review_comment_has_a_maximum_length(client, login_as, world):
    inspection = factories.new_inspection(world["site"], 90.0, datetime.now(UTC))
    db.session.commit()
    login_as(Role.SUPERVISOR)
    url = f"/inspections/{inspection.uuid}/decision"
    response = client.post(url, data={"decision": "return", "comment": TOO_LONG})
    assert response.status_code == 422
    assert db.session.get(Inspection, inspection.id).status == "submitted"


def test_web_finding_fields_have_maximum_lengths(client, login_as, world):
    login_as(Role.INSPECTOR)
    for data in (
        {"site": "A-302", "title": "t" * (TITLE_LENGTH + 1)},
        {"site": "A-302", "title": "乱堆乱放", "description": TOO_LONG},
    ):
        response = client.post("/findings/new", data=data)
        assert (
            response.status_code == 200
            and "characters" in response.text
            or "字符" in (response.text)
        )
    assert db.session.query(Finding).count() == 0


def test_web_fix_note_and_verify_comment_have_maximum_lengths(client, login_as, world, app):
    from inspector.findings.services import save_finding

    inspector = login_as(Role.INSPECTOR)
    photo = factories.new_photo(inspector)
    body = {"site": "A-302", "title": "乱堆乱放", "before_photos": [photo.uuid]}
    finding = save_finding(inspector, str(uuid.uuid4()), body, app.config)[0]
    db.session.commit()
    response = client.post(f"/findings/{finding.uuid}/fix", data={"note": TOO_LONG})
    assert response.status_code in (303, 422)
    assert db.session.get(Finding, finding.id).status == FindingStatus.OPEN
    finding.status = FindingStatus.FIXED
    finding.fixed_by_id = factories.new_user(Role.LEAD).id
    db.session.commit()
    data = {"decision": "reject", "comment": TOO_LONG}
    response = client.post(f"/findings/{finding.uuid}/verify", data=data)
    assert response.status_code in (303, 422)
    assert db.session.get(Finding, finding.id).status == FindingStatus.FIXED


def test_campaign_description_has_a_maximum_length(client, login_as, world):
    login_as(Role.SUPERVISOR)
    data = {"name": "整治", "description": TOO_LONG, "starts_on": "2026-11-01"}
    response = client.post(
        "/campaigns/new", data={**data, "ends_on": "2026-11-30", "sites": "A-302"}
    )
    assert response.status_code == 200 and "2000" in response.text


def test_a_422_names_a_bounded_number_of_faults(api, world):
    api.as_role(Role.INSPECTOR)
    responses = [{"item": f"ghost-{n}", "answer": "x" * 100, "extra": n} for n in range(10_000)]
    response = api.put(
        f"/api/v1/inspections/{uuid.uuid4()}", json=inspection_body(world, responses)
    )
    assert response.status_code == 422
    assert len(response.data) < 20_000
    error = response.json["error"]
    assert len(error["fields"]) == MAX_FIELD_ERRORS
    assert f"{MAX_FIELD_ERRORS} of" in error["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"code": "d", "name": "x" * 1_000_000},
        {"code": "x" * 1_000_000, "name": "N"},
        {"code": "d", "name": ["x" * 1_000_000]},
        {"code": "d", "name": "N", "x" * 1_000_000: 1},
    ],
)
def test_a_422_never_echoes_a_huge_input(api, body):
    api.as_role(Role.ADMIN)
    response = api.post("/api/v1/departments", json=body)
    assert response.status_code == 422
    assert len(response.data) < 2_000


@pytest.mark.parametrize(
    "request_args",
    [
        {"path": "/api/v1/departments?after=1&x=%00"},
        {"path": "/api/v1/inspections?department=%00"},
        {"path": "/api/v1/findings?department=a%00b"},
        {"path": "/api/v1/templates?code=%00"},
    ],
)
def test_nul_characters_in_queries_are_400(api, world, request_args):
    api.as_role(Role.SUPERVISOR)
    response = api.get(request_args["path"])
    assert response.status_code == 400 and "NUL" in response.json["error"]["message"]


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/v1/departments", {"code": "d", "name": "a\u0000b"}),
        ("/api/v1/departments", {"code": "d", "name": "a\ud800b"}),
        ("/api/v1/findings/{uuid}", {"site": "A-302", "title": "\udfff"}),
        ("/api/v1/findings/{uuid}", {"site": "A-302", "title": "a\u0000"}),
        ("/api/v1/inspections/{uuid}", None),
    ],
)
def test_nul_characters_in_json_are_400(api, world, path, body):
    api.as_role(Role.ADMIN)
    if body is None:
        body = inspection_body(world, [{"item": "remarks", "answer": "ok", "note": "\u0000"}])
    url = path.format(uuid=uuid.uuid4())
    call = api.post if path == "/api/v1/departments" else api.put
    response = call(url, json=body)
    assert response.status_code == 400 and "NUL" in response.json["error"]["message"]


def test_nul_characters_in_web_forms_and_paths_are_400(client, login_as, world):
    login_as(Role.SUPERVISOR)
    assert client.get("/scores/departments/a%00b").status_code == 400
    data = {
        "name": "整\x00治",
        "starts_on": "2026-11-01",
        "ends_on": "2026-11-30",
        "sites": "A-302",
    }
    assert client.post("/campaigns/new", data=data).status_code == 400

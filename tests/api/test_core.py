"""The JSON API skeleton: bearer auth, errors, me, departments, sites, OpenAPI."""

import re

import pytest
from openapi_spec_validator import validate

from inspector.extensions import db
from inspector.models import ApiToken, AuditEvent, Role, Site
from tests import factories


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}, {"Authorization": ""}],
)
def test_no_or_bad_token_is_401_json(client, headers):
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert response.json["error"]["message"]


def test_me_answers_who_the_caller_is(api):
    department = factories.new_department(code="finance")
    api.as_role(Role.LEAD, department=department, username="lead-finance")
    assert api.get("/api/v1/me").json == {
        "username": "lead-finance",
        "role": "lead",
        "department": "finance",
    }


def test_only_the_token_hash_is_stored(api):
    api.as_role(Role.INSPECTOR)
    stored = db.session.query(ApiToken).one()
    assert api.token not in stored.token_hash and len(stored.token_hash) == 64


def test_revoked_token_and_inactive_user_are_refused(api):
    user = api.as_role(Role.INSPECTOR)
    user.active = False
    db.session.commit()
    assert api.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.INSPECTOR, Role.LEAD])
def test_non_admin_may_read_but_not_create(api, role):
    api.as_role(role)
    assert api.get("/api/v1/departments").status_code == 200
    response = api.post("/api/v1/departments", json={"code": "x", "name": "X"})
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"


def test_admin_creates_department_and_site(api):
    api.as_role(Role.ADMIN)
    response = api.post("/api/v1/departments", json={"code": "finance", "name": "财务科"})
    assert response.status_code == 201
    assert response.json == {"code": "finance", "name": "财务科", "active": True}
    response = api.post(
        "/api/v1/sites",
        json={"code": "A-302", "name": "A区302", "kind": "office", "department": "finance"},
    )
    assert response.status_code == 201
    assert response.json["department"] == "finance" and response.json["kind"] == "office"
    assert db.session.query(Site).filter_by(code="A-302").one().department.code == "finance"
    actions = {event.action for event in db.session.query(AuditEvent)}
    assert {"department.create", "site.create"} <= actions


def test_duplicate_code_is_a_conflict(api):
    api.as_role(Role.ADMIN)
    factories.new_department(code="finance")
    response = api.post("/api/v1/departments", json={"code": "finance", "name": "又一个"})
    assert response.status_code == 409
    assert "code" in response.json["error"]["fields"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "无编号"}, "code"),
        ({"code": "x", "name": "X", "colour": "red"}, "colour"),
        ({"code": "bad code!", "name": "X"}, "code"),
        ({"code": "x", "name": ""}, "name"),
        ({"code": "x", "name": 5}, "name"),
    ],
)
def test_invalid_department_is_422_naming_the_field(api, body, field):
    api.as_role(Role.ADMIN)
    response = api.post("/api/v1/departments", json=body)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]


def test_a_site_is_located_for_proof_of_presence_through_the_api(api):
    """lat, lon and radius_m, as the admin form sets them (docs/rounds.md): all three or none."""
    api.as_role(Role.ADMIN)
    factories.new_department(code="d")
    db.session.commit()
    site = {"code": "gh-1", "name": "桂花一村", "kind": "residential", "department": "d"}
    where = {"lat": 25.2736, "lon": 110.2901, "radius_m": 150}
    response = api.post("/api/v1/sites", json={**site, **where})
    assert response.status_code == 201, response.text
    assert {key: response.json[key] for key in where} == where
    listed = api.get("/api/v1/sites").json["items"]
    assert [(s["lat"], s["lon"], s["radius_m"]) for s in listed] == [(25.2736, 110.2901, 150)]
    unlocated = api.post("/api/v1/sites", json={**site, "code": "gh-2"}).json
    assert (unlocated["lat"], unlocated["lon"], unlocated["radius_m"]) == (None, None, None)


@pytest.mark.parametrize(
    "where, field",
    [
        ({"lat": 25.27}, "radius_m"),  # all three or none
        ({"lon": 110.29, "radius_m": 100}, "radius_m"),
        ({"lat": 91, "lon": 110.29, "radius_m": 100}, "lat"),
        ({"lat": 25.27, "lon": 110.29, "radius_m": 5}, "radius_m"),
        ({"lat": "north", "lon": 110.29, "radius_m": 100}, "lat"),
    ],
)
def test_a_half_given_or_impossible_location_is_422_naming_the_field(api, where, field):
    api.as_role(Role.ADMIN)
    factories.new_department(code="d")
    db.session.commit()
    body = {"code": "s", "name": "S", "kind": "office", "department": "d", **where}
    response = api.post("/api/v1/sites", json=body)
    assert response.status_code == 422, response.text
    assert field in response.json["error"]["fields"]
    assert db.session.query(Site).filter_by(code="s").count() == 0


@pytest.mark.parametrize(
    "body, field",
    [
        ({"code": "s", "name": "S", "kind": "garden", "department": "d"}, "kind"),
        ({"code": "s", "name": "S", "kind": "office", "department": "nowhere"}, "department"),
        ({"code": "s", "name": "S", "kind": "office"}, "department"),
    ],
)
def test_invalid_site_is_422_naming_the_field(api, body, field):
    api.as_role(Role.ADMIN)
    factories.new_department(code="d")
    response = api.post("/api/v1/sites", json=body)
    assert response.status_code == 422
    assert field in response.json["error"]["fields"]


@pytest.mark.parametrize(
    "data, content_type, status",
    [
        ("{not json", "application/json", 400),
        ("[1, 2]", "application/json", 400),
        ("", "application/json", 400),
        ("code=x", "application/x-www-form-urlencoded", 415),
    ],
)
def test_malformed_bodies_get_json_errors_never_500(api, data, content_type, status):
    api.as_role(Role.ADMIN)
    response = api.post("/api/v1/departments", data=data, content_type=content_type)
    assert response.status_code == status
    assert response.is_json and response.json["error"]["code"]


def test_unknown_endpoint_and_method_are_json(api):
    api.as_role(Role.ADMIN)
    assert api.get("/api/v1/nothing-here").json["error"]["code"] == "not_found"
    response = api.put("/api/v1/departments", json={})
    assert response.status_code == 405 and response.json["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    "method, path, allowed",
    [
        ("put", "/api/v1/departments", {"GET", "HEAD", "OPTIONS", "POST"}),
        ("post", "/api/v1/templates/1", {"GET", "HEAD", "OPTIONS", "PATCH"}),
        ("get", "/api/v1/findings/0b7a6d2e-4f3c-4a8e-9d61-2f5c8e3a1b90/fix", {"OPTIONS", "POST"}),
    ],
)
def test_405_says_which_methods_are_allowed(api, method, path, allowed):
    api.as_role(Role.ADMIN)
    response = getattr(api, method)(path)
    assert response.status_code == 405 and response.is_json
    assert set(response.headers["Allow"].split(", ")) == allowed


def test_lists_page_with_limit_and_next(api):
    api.as_role(Role.SUPERVISOR)
    for n in range(5):
        factories.new_department(code=f"d{n}")
    first = api.get("/api/v1/departments?limit=2").json
    assert [d["code"] for d in first["items"]] == ["d0", "d1"]
    second = api.get(first["next"]).json
    assert [d["code"] for d in second["items"]] == ["d2", "d3"]
    third = api.get(second["next"]).json
    assert [d["code"] for d in third["items"]] == ["d4"] and third["next"] is None


@pytest.mark.parametrize("limit", ["0", "1001", "-1", "ten"])
def test_bad_limit_is_400(api, limit):
    api.as_role(Role.SUPERVISOR)
    assert api.get(f"/api/v1/sites?limit={limit}").status_code == 400


def test_openapi_is_valid_and_describes_every_endpoint(app, client):
    spec = client.get("/api/v1/openapi.json").json
    validate(spec)  # raises on an invalid OpenAPI 3.1 document
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.openapi":
            continue
        for path in documented_paths(rule.rule.removeprefix("/api/v1")):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (path, method) in documented, f"{method} {path} is not in openapi.json"


def documented_paths(rule):
    """The OpenAPI paths of a URL rule: <any(a, b):x> is one path per choice."""
    choice = re.search(r"<any\(([^)]*)\):\w+>", rule)
    if choice:
        for option in choice.group(1).split(","):
            yield from documented_paths(rule.replace(choice.group(0), option.strip()))
        return
    path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)
    yield path.replace("{template_id}", "{id}")

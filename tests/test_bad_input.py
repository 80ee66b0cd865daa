"""Never a 500 for bad input: huge numbers, deep JSON and extreme dates get a 4xx, in the API
as JSON and in the web UI as a page."""

import io
import uuid

import pytest

from inspector.extensions import db
from inspector.models import Role
from tests import factories
from tests.images import jpeg_bytes

HUGE = str(2**64)  # one past what SQLite's 64-bit integer holds
INT4 = str(2**31)  # one past what PostgreSQL's INTEGER id columns hold
ENORMOUS = "9" * 5000  # beyond Python's own limit on converting digits to int
DEEP = "[" * 100_000
DEEP_DOCUMENTS = [DEEP, '{"a": ' * 5000 + "1" + "}" * 5000, "[" * 100 + "]" * 100]


@pytest.fixture
def world(app):
    """A department, a site, the office checklist and a campaign over the site."""
    from datetime import date

    from inspector.models import Campaign

    department = factories.new_department(code="finance")
    site = factories.new_site(department=department, code="A-302")
    checklist = factories.new_checklist()
    organiser = factories.new_user(Role.SUPERVISOR)
    campaign = Campaign(
        name="整治",
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 11, 30),
        sites=[site],
        created_by_id=organiser.id,
    )
    db.session.add(campaign)
    db.session.commit()
    return {"site": site, "checklist": checklist, "campaign": campaign}


def inspection_body(world, **extra):
    return {
        "template": world["checklist"].id,
        "site": "A-302",
        "started_at": "2026-11-23T09:00:00+08:00",
        "responses": [],
        "submit": False,
        **extra,
    }


def assert_json_error(response, *statuses):
    assert response.status_code in statuses, response.text[:500]
    assert response.is_json and response.json["error"]["code"]


# --- integers beyond 64 bits --------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/templates/{n}",
        "/api/v1/sites?after={n}",
        "/api/v1/departments?after={n}",
        "/api/v1/templates?after={n}",
        "/api/v1/inspections?after={n}",
        "/api/v1/findings?after={n}",
        "/api/v1/sites?limit={n}",
    ],
)
def test_api_huge_integers_are_4xx(api, world, path):
    api.as_role(Role.ADMIN)
    for number in (HUGE, ENORMOUS, INT4):
        assert_json_error(api.get(path.format(n=number)), 400, 404)


@pytest.mark.parametrize("template", [2**64, 2**31, -(2**64), 0])
def test_api_huge_template_id_is_422(api, world, template):
    api.as_role(Role.INSPECTOR)
    body = inspection_body(world, template=template)
    response = api.put(f"/api/v1/inspections/{uuid.uuid4()}", json=body)
    assert_json_error(response, 422)
    assert "template" in response.json["error"]["fields"]


@pytest.mark.parametrize(
    "path",
    [
        "/checklists/{n}",
        "/checklists/{n}/export",
        "/checklists/{n}/edit",
        "/campaigns/{n}",
        "/campaigns/{n}/report",
        "/campaigns/{n}/export.zip",
        "/admin/users/{n}",
        "/admin/sites/{n}",
        "/admin/departments/{n}",
        "/findings/new?campaign={n}",
    ],
)
def test_web_huge_ids_are_404(client, login_as, world, path):
    login_as(Role.ADMIN)
    for number in (HUGE, ENORMOUS, INT4):
        response = client.get(path.format(n=number))
        assert response.status_code == 404, number
        assert "text/html" in response.content_type


@pytest.mark.parametrize("number", [HUGE, ENORMOUS])
def test_web_huge_numbers_in_forms_are_4xx(client, login_as, world, number):
    login_as(Role.ADMIN)
    assert client.post("/scores/reopen/" + number).status_code == 404
    response = client.post("/findings/new", data={"campaign": number, "site": "A-302"})
    assert response.status_code == 404


# --- deeply nested JSON -------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, path",
    [
        ("post", "/api/v1/departments"),
        ("post", "/api/v1/sites"),
        ("post", "/api/v1/templates"),
        ("put", "/api/v1/inspections/{uuid}"),
        ("post", "/api/v1/inspections/{uuid}/review"),
        ("put", "/api/v1/findings/{uuid}"),
        ("post", "/api/v1/findings/{uuid}/fix"),
        ("post", "/api/v1/findings/{uuid}/verify"),
    ],
)
def test_api_deep_json_is_400(api, world, method, path):
    api.as_role(Role.ADMIN)
    url = path.format(uuid=uuid.uuid4())
    for document in DEEP_DOCUMENTS:
        response = getattr(api, method)(url, data=document, content_type="application/json")
        assert_json_error(response, 400, 404)
        if response.status_code == 400:
            assert "deep" in response.json["error"]["message"]


@pytest.mark.parametrize("document", [DEEP, '{"code": ' * 5000])
def test_web_import_of_deep_json_is_refused(client, login_as, document):
    login_as(Role.ADMIN)
    response = client.post("/checklists/import", data={"text": document})
    assert response.status_code == 200  # the form again, naming the fault
    assert "deep" in response.text or "嵌套" in response.text
    upload = {"file": (io.BytesIO(DEEP.encode()), "deep.json")}
    response = client.post("/checklists/import", data=upload, content_type="multipart/form-data")
    assert response.status_code == 200


# --- extreme dates ------------------------------------------------------------------------

EXTREME_DAYS = ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"]
EXTREME_TIMES = [
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59",
    "1970-01-01T00:00:00Z",
]


@pytest.mark.parametrize("path", ["/api/v1/scores", "/api/v1/inspections"])
def test_api_extreme_dates_in_queries_are_400(api, world, path):
    api.as_role(Role.SUPERVISOR)
    for query in ("from={d}&to=2026-11-30", "from=2026-11-01&to={d}"):
        for day in EXTREME_DAYS:
            response = api.get(f"{path}?{query.format(d=day)}")
            assert_json_error(response, 400)
            assert "2000-01-01" in response.json["error"]["message"]


def test_api_widest_accepted_range_is_computed(api, world):
    api.as_role(Role.SUPERVISOR)
    response = api.get("/api/v1/scores?from=2000-01-01&to=2100-12-31")
    assert response.status_code == 200 and response.json["to"] == "2100-12-31"
    assert api.get("/api/v1/inspections?from=2000-01-01&to=2100-12-31").status_code == 200


@pytest.mark.parametrize("field", ["started_at", "submitted_at"])
def test_api_extreme_inspection_times_are_422(api, world, field):
    api.as_role(Role.INSPECTOR)
    for moment in EXTREME_TIMES:
        body = inspection_body(world, **{field: moment})
        response = api.put(f"/api/v1/inspections/{uuid.uuid4()}", json=body)
        assert_json_error(response, 422)
        assert field in response.json["error"]["fields"]


def test_api_offsets_at_the_edge_of_the_range_are_read_correctly(api, world):
    api.as_role(Role.INSPECTOR)
    body = inspection_body(world, started_at="2000-01-01T00:00:00+14:00")
    response = api.put(f"/api/v1/inspections/{uuid.uuid4()}", json=body)
    # 2000-01-01 local in +14:00 is 1999-12-31 in UTC: a local day inside the range.
    assert response.status_code == 201
    assert response.json["started_at"].startswith("1999-12-31T10:00:00")


@pytest.mark.parametrize("moment", EXTREME_TIMES)
def test_api_extreme_photo_time_is_422(api, moment):
    api.as_role(Role.INSPECTOR)
    response = api.put(
        f"/api/v1/photos/{uuid.uuid4()}",
        data={"file": (io.BytesIO(jpeg_bytes()), "p.jpg"), "taken_at": moment},
        content_type="multipart/form-data",
    )
    assert_json_error(response, 422)
    assert "taken_at" in response.json["error"]["fields"]


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_api_extreme_finding_due_is_422(api, world, day):
    api.as_role(Role.INSPECTOR)
    body = {"site": "A-302", "title": "乱堆乱放", "due": day, "before_photos": []}
    response = api.put(f"/api/v1/findings/{uuid.uuid4()}", json=body)
    assert_json_error(response, 422)
    assert "due" in response.json["error"]["fields"]


EXTREME_PERIODS = [
    "0001-W01",
    "9999-12",
    "0001-Q1",
    "9999",
    "1999",
    "0001-01-01..0001-01-07",
    "9999-12-25..9999-12-31",
    "2026-W99",
    "99999999999999999999-Q1",
    ENORMOUS,
]


@pytest.mark.parametrize("screen", ["/scores/", "/scores/export.csv", "/scores/coverage"])
def test_web_extreme_periods_are_400(client, login_as, world, screen):
    login_as(Role.SUPERVISOR)
    for period in EXTREME_PERIODS:
        response = client.get(screen, query_string={"period": period})
        assert response.status_code == 400, period[:20]


def test_web_period_at_the_edge_of_the_range_still_shows(client, login_as, world):
    login_as(Role.SUPERVISOR)
    # Every day of a period must lie in 2000-01-01..2100-12-31: 2100-W52 ends on 2101-01-02.
    for period in ("2000-W01", "2000", "2100-Q4", "2100-12", "2000-01-01..2100-12-31"):
        assert client.get("/scores/", query_string={"period": period}).status_code == 200
    assert client.get("/scores/", query_string={"period": "2100-W52"}).status_code == 400


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_web_extreme_campaign_dates_are_refused_on_the_form(client, login_as, world, day):
    login_as(Role.SUPERVISOR)
    data = {"name": "整治", "starts_on": day, "ends_on": "2026-11-30", "sites": "A-302"}
    response = client.post("/campaigns/new", data=data)
    assert response.status_code == 200 and "2000-01-01" in response.text


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_web_extreme_finding_due_is_refused_on_the_form(client, login_as, world, day):
    login_as(Role.INSPECTOR)
    data = {"site": "A-302", "title": "乱堆乱放", "due": day}
    response = client.post("/findings/new", data=data)
    assert response.status_code == 200 and "2000-01-01" in response.text


# --- the same photo twice -----------------------------------------------------------------


def test_api_the_same_photo_twice_is_422(api, world):
    user = api.as_role(Role.ADMIN)
    photo = factories.new_photo(user)
    db.session.commit()
    twice = [photo.uuid, photo.uuid]
    finding = f"/api/v1/findings/{uuid.uuid4()}"
    body = {"site": "A-302", "title": "乱堆乱放", "before_photos": twice}
    assert_json_error(api.put(finding, json=body), 422)
    response = api.put(finding, json={**body, "before_photos": [photo.uuid]})
    assert response.status_code == 201
    response = api.post(f"{finding}/fix", json={"after_photos": [photo.uuid]})
    assert_json_error(response, 422)
    assert "after_photos" in response.json["error"]["fields"]
    responses = [{"item": "remarks", "answer": "好", "photos": twice}]
    response = api.put(
        f"/api/v1/inspections/{uuid.uuid4()}", json=inspection_body(world, responses=responses)
    )
    assert_json_error(response, 422)

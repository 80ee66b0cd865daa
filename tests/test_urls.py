"""Links and redirects are never built from the Host header, which the client chooses: they are
relative, or on INSPECTOR_BASE_URL when it is set."""

import io

import pytest

from inspector.extensions import db
from inspector.models import Role
from tests import factories
from tests.images import jpeg_bytes

# Links and redirects are built before and apart from the database.
pytestmark = pytest.mark.sqlite_only

FORGED = {"Host": "evil.example"}
BASE = "https://inspect.example.gov.cn"


@pytest.fixture(params=[None, BASE], ids=["relative", "base-url"])
def base_url(request, app):
    app.config["BASE_URL"] = request.param
    return request.param or ""


def test_next_links_ignore_a_forged_host(api, base_url):
    api.as_role(Role.SUPERVISOR)
    for n in range(3):
        factories.new_department(code=f"d{n}")
    db.session.commit()
    first = api.get("/api/v1/departments?limit=2", headers=FORGED).json
    assert first["next"].startswith(f"{base_url}/api/v1/departments?")
    assert "evil" not in first["next"]
    second = api.get(first["next"].removeprefix(base_url)).json
    assert [d["code"] for d in second["items"]] == ["d2"] and second["next"] is None


def test_photo_urls_ignore_a_forged_host(api, base_url):
    api.as_role(Role.INSPECTOR)
    answer = api.put(
        "/api/v1/photos/33333333-3333-4333-8333-333333333333",
        headers=FORGED,
        data={"file": (io.BytesIO(jpeg_bytes()), "a.jpg")},
    )
    assert answer.status_code == 201
    for key in ("url", "thumb_url"):
        assert answer.json[key].startswith(f"{base_url}/photos/33333333-"), answer.json[key]
    with api.get(answer.json["thumb_url"].removeprefix(base_url)) as thumb:
        assert thumb.status_code == 200


def test_the_openapi_server_ignores_a_forged_host(client, base_url):
    spec = client.get("/api/v1/openapi.json", headers=FORGED).json
    assert spec["servers"] == [{"url": f"{base_url}/api/v1"}]


@pytest.mark.parametrize(
    "path, target",
    [("/field", "/field/"), ("/scores", "/scores/"), ("/", "/login?next=/")],
)
def test_redirects_ignore_a_forged_host(client, base_url, path, target):
    answer = client.get(path, headers=FORGED)
    assert 300 <= answer.status_code < 400
    assert "evil" not in answer.location
    # Relative, or on BASE_URL: either way on this site.
    location = answer.location.removeprefix(base_url).replace("%2F", "/")
    assert location == target


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/admin/users/99999999999999999999"),
        ("GET", "/admin/users/2147483648/tokens"),
        ("POST", "/account/tokens/99999999999999999999/revoke"),
        ("GET", "/admin/sites/99999999999999999999"),
    ],
)
def test_an_id_too_large_for_the_database_is_not_found(client, login_as, method, path):
    login_as(Role.ADMIN)
    assert client.open(path, method=method).status_code == 404

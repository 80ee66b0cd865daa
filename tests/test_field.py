"""The field app's server side: its data for offline use, the service worker, page weight."""

import gzip
import re

import pytest

from inspector.extensions import db
from inspector.models import Role
from tests import factories


def fetch(client, url):
    """GET a static file and close it (file responses stream from an open file)."""
    with client.get(url) as response:
        response.body = response.get_data()
        return response


def signed_in(client, username):
    response = client.post("/login", data={"username": username, "password": "wenming-2026"})
    assert response.status_code in (302, 303)
    return client


def test_an_inspector_gets_sites_checklists_and_findings(client, demo):
    data = signed_in(client, "inspector").get("/field/data.json")
    assert data.headers["Cache-Control"] == "no-store"
    body = data.json
    assert body["user"] == {
        "username": "inspector",
        "name": "李督查",
        "role": "inspector",
        "department": None,
        "inspects": True,
    }
    assert len(body["sites"]) >= 20 and body["csrf_token"]
    office = next(t for t in body["templates"] if t["code"] == "office-weekly")
    assert office["sections"][0]["items"][0]["key"] and office["id"] and office["version"] == 1
    assert {s["suggested"] for s in body["sites"]} >= {"office-weekly", "residential-cleanup"}


def test_a_lead_gets_only_the_findings_of_the_department(client, demo):
    body = signed_in(client, "lead-engineering").get("/field/data.json").json
    assert body["user"]["inspects"] is False and body["sites"] == body["templates"] == []
    assert body["findings"], "the demo has open findings for engineering"
    for finding in body["findings"]:
        assert finding["department"] == "工程部"
        assert all(re.fullmatch(r"/photos/[0-9a-f-]{36}/thumb", url) for url in finding["before"])


def test_signed_out_the_field_app_asks_for_sign_in(client):
    assert client.get("/field/").status_code == 302
    assert client.get("/field/data.json").status_code == 302


def test_the_service_worker_caches_versioned_assets_and_the_shell(client):
    response = client.get("/sw.js")
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"  # a new version is found at once
    assets = re.findall(r'"(/static/[^"]+\?v=[0-9a-f]{12})"', response.text)
    assert {a.split("?")[0] for a in assets} >= {
        "/static/css/app.css",
        "/static/js/field.js",
        "/static/js/field-queue.js",
    }
    for url in assets:
        assert fetch(client, url).status_code == 200
    assert 'const SHELL = "/field/"' in response.text


def test_versioned_static_files_are_cached_for_a_year(client):
    page = client.get("/login").text
    url = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{12})"', page).group(1)
    cached = fetch(client, url)
    assert cached.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    stale = fetch(client, "/static/css/app.css?v=000000000000")
    assert "max-age=31536000" not in stale.headers.get("Cache-Control", "")


BUDGET = 150 * 1024  # the inspection screen's first load, compressed (issue 6)


def first_load_bytes(client, path):
    """Gzipped bytes of a page and every script and style sheet it loads."""
    page = client.get(path)
    assert page.status_code == 200, path
    total = len(gzip.compress(page.data))
    for url in re.findall(r'(?:src|href)="(/static/[^"]+\.(?:js|css)[^"]*)"', page.text):
        total += len(gzip.compress(fetch(client, url).body))
    return total


@pytest.mark.parametrize("path", ["/field/", "/inspections/new", "/"])
def test_first_load_is_within_the_page_budget(client, app, path):
    user = factories.new_user(role=Role.INSPECTOR)
    db.session.commit()
    client.post("/login", data={"username": user.username, "password": factories.PASSWORD})
    assert first_load_bytes(client, path) < BUDGET

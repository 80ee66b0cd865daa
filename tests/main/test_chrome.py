"""Every page's top bar and tabs are kept once rendered (inspector/main/chrome.py).

A kept copy is only right if its key holds everything it shows: each page's chrome, built
from whatever the pages before it left kept, must equal the chrome rendered afresh.
"""

import re

import pytest

from inspector.extensions import db
from inspector.main.chrome import CACHE, current_tab
from inspector.models import Notification, Role
from tests import factories
from tests.conftest import csrf_token_from
from tests.test_csrf import csrf_app  # noqa: F401 (a fixture)

pytestmark = pytest.mark.sqlite_only  # the chrome reads the same rows on either database

CHROME = re.compile(r"<body>(.*?)<main>", re.S)
TOKEN = re.compile(r'(name="csrf_token" value=")[^"]+"')

PAGES = {
    Role.INSPECTOR: ["/", "/field/", "/field/inspections", "/field/findings", "/activities/"],
    Role.LEAD: ["/", "/field/findings", "/appeals/", "/activities/", "/scores/?kind=year"],
    Role.SUPERVISOR: ["/", "/inspections/", "/findings/", "/appeals/", "/rounds/"],
    Role.ADMIN: ["/", "/admin/sites", "/admin/users", "/checklists/", "/scores/?kind=month"],
}
SHARED = ["/more", "/scores/", "/notifications/", "/account", "/frameworks/", "/scores/?kind=week"]


def chrome(page):
    """The page's top bar and tabs, its CSRF tokens blanked (each request may sign anew)."""
    return TOKEN.sub(r'\1"', CHROME.search(page).group(1))


@pytest.mark.parametrize("role", list(PAGES))
@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_a_kept_chrome_is_the_chrome_rendered_afresh(app, client, login_as, role, language):
    department = factories.new_department() if role == Role.LEAD else None
    login_as(role, department=department)
    headers = {"Accept-Language": language}
    paths = PAGES[role] + SHARED
    kept = {}
    for path in paths + paths:  # the second round is served from what the first kept
        page = client.get(path, headers=headers)
        assert page.status_code == 200, path
        kept[path] = chrome(page.text)
    assert app.extensions[CACHE]
    for path in paths:
        app.extensions[CACHE].clear()
        fresh = chrome(client.get(path, headers=headers).text)
        assert kept[path] == fresh, path
        # The language form comes back to this page, query and all.
        assert f'name="next" value="{path.replace("&", "&amp;")}"' in fresh


def test_what_changes_shows_at_once(app, client, login_as):
    user = login_as(Role.SUPERVISOR, display_name="周明")
    first = client.get("/scores/").text
    assert "周明" in first and 'data-unread="0"' in first
    user.display_name = "周明远"
    db.session.add(Notification(user_id=user.id, name="finding.opened", data={"title": "堆物"}))
    db.session.commit()
    again = client.get("/scores/").text
    assert "周明远" in again and 'data-unread="1"' in again
    assert "English" in again
    switched = client.get("/scores/", headers={"Accept-Language": "en"}).text
    assert "中文" in switched and ">Scores<" in switched


def test_one_users_chrome_is_never_anothers(app, client, login_as):
    login_as(Role.SUPERVISOR, display_name="周明")
    assert "周明" in client.get("/scores/").text
    client.post("/logout")
    login_as(Role.SUPERVISOR, display_name="李华")
    page = client.get("/scores/").text
    assert "李华" in page and "周明" not in page


def test_text_a_user_typed_never_fills_a_hole(app, client, login_as):
    login_as(Role.ADMIN, display_name="<csrf-hole><next-hole>")
    for _ in range(2):
        page = client.get("/more").text
        assert "&lt;csrf-hole&gt;&lt;next-hole&gt;</a>" in page
        assert "<csrf-hole>" not in page and "<next-hole>" not in page


def test_the_kept_forms_token_is_this_sessions(csrf_app):  # noqa: F811
    user = factories.new_user(role="supervisor")
    db.session.commit()
    for _ in range(2):  # two sessions: the second is served the first one's kept chrome
        client = csrf_app.test_client()
        token = csrf_token_from(client.get("/login").text)
        login = {"username": user.username, "password": factories.PASSWORD, "csrf_token": token}
        assert client.post("/login", data=login).status_code == 303
        page = client.get("/scores/?kind=year").text
        switch = {"locale": "en", "next": "/scores/?kind=year", "csrf_token": csrf_token_from(page)}
        answer = client.post("/language", data=switch)
        assert answer.status_code in (302, 303) and answer.location.endswith("/scores/?kind=year")
        assert ">Sign out<" in client.get("/scores/").text


@pytest.mark.parametrize(
    "role, endpoint, path, tab",
    [
        (Role.INSPECTOR, "main.index", "/", "home"),
        (Role.INSPECTOR, "field.app", "/field/", "home"),
        (Role.INSPECTOR, "field.screen", "/field/inspections", "inspections"),
        (Role.INSPECTOR, "field.screen", "/field/start/3", "inspections"),
        (Role.INSPECTOR, "inspections.detail", "/inspections/x", None),
        (Role.LEAD, "field.screen", "/field/findings/7", "findings"),
        (Role.LEAD, "findings.detail", "/findings/7", None),
        (Role.LEAD, "appeals.index", "/appeals/", "appeals"),
        (Role.INSPECTOR, "appeals.index", "/appeals/", "more"),
        (Role.LEAD, "activities.detail", "/activities/4", "activities"),
        (Role.SUPERVISOR, "activities.index", "/activities/", "more"),
        (Role.SUPERVISOR, "inspections.detail", "/inspections/x", "inspections"),
        (Role.SUPERVISOR, "findings.index", "/findings/", "findings"),
        (Role.SUPERVISOR, "scores.department", "/scores/departments/A", "scores"),
        (Role.SUPERVISOR, "documents.archives", "/documents/archives", "scores"),
        (Role.SUPERVISOR, "rounds.detail", "/rounds/2", "rounds"),
        (Role.LEAD, "rounds.index", "/rounds/", "more"),
        (Role.ADMIN, "admin.sites", "/admin/sites", "more"),
        (Role.SUPERVISOR, "admin.sites", "/admin/sites", None),
        (Role.SUPERVISOR, "main.more", "/more", "more"),
        # The field app is on a supervisor's More page (their Home is the dashboard at /).
        (Role.SUPERVISOR, "field.app", "/field/", "more"),
        (Role.ADMIN, "", "/nowhere", None),
    ],
)
def test_each_page_is_under_one_tab(role, endpoint, path, tab):
    assert current_tab(role, endpoint, path) == tab


def test_nothing_is_kept_while_templates_reload(app, client, login_as):
    # In development (debug, TEMPLATES_AUTO_RELOAD) an edited template shows on the next page.
    app.jinja_env.auto_reload = True
    login_as(Role.ADMIN)
    assert ">Scores<" in client.get("/more", headers={"Accept-Language": "en"}).text
    assert not app.extensions.get(CACHE)

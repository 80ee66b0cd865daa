"""Every form is protected against cross-site request forgery."""

import pytest
from flask import url_for
from werkzeug.routing import IntegerConverter

from inspector import create_app
from inspector.extensions import db
from tests import factories
from tests.conftest import TEST_CONFIG, IsolatedClient, csrf_token_from

pytestmark = pytest.mark.sqlite_only  # CSRF checks happen before any query


@pytest.fixture
def csrf_app(app):
    """The same database, with CSRF checks switched on as in production."""
    guarded = create_app(
        {**TEST_CONFIG, "WTF_CSRF_ENABLED": True, "DATABASE_URL": app.config["DATABASE_URL"]}
    )
    guarded.test_client_class = IsolatedClient
    yield guarded
    with guarded.app_context():
        db.engine.dispose()  # close its pooled connections before the database goes


def signed_in_admin(csrf_app):
    """A client signed in as a new admin the proper way, with the form's token."""
    user = factories.new_user(role="admin")
    db.session.commit()
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/login").text)
    client.post(
        "/login",
        data={"username": user.username, "password": factories.PASSWORD, "csrf_token": token},
    )
    return client


def test_login_without_token_is_refused(csrf_app):
    user = factories.new_user()
    db.session.commit()
    client = csrf_app.test_client()
    response = client.post(
        "/login", data={"username": user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_login_with_token_from_the_form_works(csrf_app):
    user = factories.new_user()
    db.session.commit()
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": user.username, "password": factories.PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 303


@pytest.mark.parametrize(
    "path, data",
    [
        ("/logout", {}),
        ("/language", {"locale": "en"}),
        ("/account", {"current": "x", "password": "y", "confirm": "y"}),
        ("/admin/departments/new", {"code": "x", "name": "X"}),
    ],
)
def test_state_changing_forms_need_the_token(csrf_app, path, data):
    client = signed_in_admin(csrf_app)
    assert client.post(path, data=data).status_code == 400
    assert client.get("/").status_code == 200  # still signed in: nothing was done


def test_api_uses_bearer_tokens_not_csrf(csrf_app):
    user = factories.new_user(role="admin")
    token = factories.new_token(user)
    db.session.commit()
    response = csrf_app.test_client().post(
        "/api/v1/departments",
        json={"code": "d", "name": "D"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201


def test_every_state_changing_web_route_needs_the_token(csrf_app):
    """Walk the URL map: a new form that forgets CSRF fails here, not in production."""
    client = signed_in_admin(csrf_app)
    checked = 0
    for rule in csrf_app.url_map.iter_rules():
        unsafe = rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
        if not unsafe or rule.rule.startswith("/api/"):
            continue
        values = {
            arg: 1 if isinstance(rule._converters[arg], IntegerConverter) else "x"
            for arg in rule.arguments - set(rule.defaults or {})
        }
        with csrf_app.test_request_context():
            url = url_for(rule.endpoint, **values, **(rule.defaults or {}))
        for method in unsafe:
            response = client.open(url, method=method, data={})
            assert response.status_code == 400, f"{method} {rule.rule} accepted no CSRF token"
            checked += 1
    assert checked >= 15


def test_every_state_changing_api_route_needs_the_token_with_a_session(csrf_app):
    """The field app calls the API with the session cookie: then CSRF applies to every write."""
    client = signed_in_admin(csrf_app)
    checked = 0
    for rule in csrf_app.url_map.iter_rules():
        unsafe = rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
        if not unsafe or not rule.rule.startswith("/api/"):
            continue
        values = {
            arg: 1 if isinstance(rule._converters[arg], IntegerConverter) else "x"
            for arg in rule.arguments - set(rule.defaults or {})
        }
        with csrf_app.test_request_context():
            url = url_for(rule.endpoint, **values)
        for method in unsafe:
            response = client.open(url, method=method, json={})
            assert response.status_code == 403, f"{method} {rule.rule} accepted no CSRF token"
            assert response.json["error"]["code"] == "csrf"
            checked += 1
    assert checked >= 8


def test_the_session_and_its_csrf_token_work_the_api(csrf_app):
    client = signed_in_admin(csrf_app)
    assert client.get("/api/v1/me").json["role"] == "admin"
    token = client.get("/field/data.json").json["csrf_token"]
    response = client.post(
        "/api/v1/departments", json={"code": "s", "name": "S"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201
    stale = client.post(
        "/api/v1/departments", json={"code": "t", "name": "T"}, headers={"X-CSRFToken": "old"}
    )
    assert stale.status_code == 403 and stale.json["error"]["code"] == "csrf"
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/api/v1/me").status_code == 401  # signed out: no session, no token

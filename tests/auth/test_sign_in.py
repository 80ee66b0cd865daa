"""Signing in and out, sessions, passwords and role checks on screens."""

import pytest

from inspector.extensions import db
from inspector.models import AuditEvent, Role
from tests import factories


def test_login_page_has_the_contract_fields(client):
    html = client.get("/login").text
    assert 'name="username"' in html and 'name="password"' in html
    assert '<meta name="viewport"' in html and 'rel="manifest"' in html


def test_login_redirects_home_and_logout_ends_session(client, app):
    user = factories.new_user(role=Role.INSPECTOR)
    db.session.commit()
    response = client.post(
        "/login", data={"username": user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 303 and response.location == "/"
    assert client.get("/").status_code == 200
    assert client.post("/logout").status_code == 303
    assert client.get("/").status_code == 302  # back to the sign-in page


@pytest.mark.parametrize("password", ["wrong-password", ""])
def test_wrong_password_is_refused_with_a_message(client, password):
    user = factories.new_user()
    db.session.commit()
    response = client.post("/login", data={"username": user.username, "password": password})
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client):
    response = client.post("/login", data={"username": "ghost", "password": "whatever-pass"})
    assert response.status_code == 200
    assert "Wrong username or password" in response.text or "用户名或密码错误" in response.text


def test_inactive_user_cannot_sign_in(client):
    user = factories.new_user(active=False)
    db.session.commit()
    client.post("/login", data={"username": user.username, "password": factories.PASSWORD})
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    "target, expected",
    [("/admin/users", "/admin/users"), ("https://evil.example/", "/"), ("//evil.example", "/")],
)
def test_next_is_followed_only_when_local(client, target, expected):
    user = factories.new_user(role=Role.ADMIN)
    db.session.commit()
    response = client.post(
        f"/login?next={target}", data={"username": user.username, "password": factories.PASSWORD}
    )
    assert response.location == expected


def test_passwords_are_stored_with_a_memory_hard_kdf(app, real_password_hashing):
    user = factories.new_user()
    assert user.password_hash.startswith("scrypt:")
    assert factories.PASSWORD not in user.password_hash


def test_password_change_signs_out_other_sessions(app, login_as):
    user = login_as(Role.INSPECTOR)
    other = app.test_client()
    other.post("/login", data={"username": user.username, "password": factories.PASSWORD})
    assert other.get("/").status_code == 200
    me = app.test_client()
    me.post("/login", data={"username": user.username, "password": factories.PASSWORD})
    response = me.post(
        "/account",
        data={
            "current": factories.PASSWORD,
            "password": "a-new-long-pass",
            "confirm": "a-new-long-pass",
        },
    )
    assert response.status_code == 303
    assert me.get("/").status_code == 200  # the session that changed it stays signed in
    assert other.get("/").status_code == 302  # every other session is signed out
    assert db.session.query(AuditEvent).filter_by(action="user.password").count() == 1


def test_weak_new_password_is_refused(client, login_as):
    login_as(Role.INSPECTOR)
    response = client.post(
        "/account", data={"current": factories.PASSWORD, "password": "short", "confirm": "short"}
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.text or "至少" in response.text


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.INSPECTOR, Role.LEAD])
def test_admin_screens_are_forbidden_to_other_roles(client, login_as, role):
    login_as(role)
    for url in ["/admin/users", "/admin/departments", "/admin/sites/new"]:
        assert client.get(url).status_code == 403


def test_screens_require_sign_in(client):
    response = client.get("/admin/users")
    assert response.status_code == 302 and response.location.startswith("/login")


@pytest.mark.parametrize("role", list(Role))
def test_home_page_tells_each_role_what_to_do(client, login_as, role):
    login_as(role)
    response = client.get("/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    expected = {
        Role.ADMIN: "Set up the campaign",
        Role.SUPERVISOR: "waiting for review",
        # Their home is the field app's work list (drawn on the phone from this data).
        Role.INSPECTOR: '"inspects": true',
        Role.LEAD: '"inspects": false',
    }[role]
    assert expected in response.text


@pytest.mark.parametrize("url", ["/login", "/api/v1/openapi.json", "/nope"])
def test_security_headers_on_every_response(client, url):
    headers = client.get(url).headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "config, expected",
    [
        ({"STORAGE": "local"}, "img-src 'self' data: blob:"),
        ({"STORAGE": "s3", "S3_DELIVERY": "stream"}, "img-src 'self' data: blob:"),
        (
            {
                "STORAGE": "s3",
                "S3_DELIVERY": "presigned",
                "S3_ENDPOINT_URL": "https://minio.x:9000/",
            },
            "img-src 'self' data: blob: https://minio.x:9000",
        ),
        (
            {"STORAGE": "s3", "S3_DELIVERY": "presigned"},
            "img-src 'self' data: blob: https://*.amazonaws.com",
        ),
    ],
)
def test_presigned_photos_are_allowed_as_image_sources(config, expected):
    from inspector.security import content_security_policy

    assert expected + ";" in content_security_policy(config)

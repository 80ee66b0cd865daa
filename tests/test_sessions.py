"""Sessions (ASVS V3): fresh at sign-in, ended everywhere at logout, idle and absolute limits,
cookie flags; and guessing throttled per account and per address (ASVS V2.2)."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from inspector import create_app
from inspector.auth import sessions
from inspector.extensions import db
from inspector.models import ThrottleEvent
from tests import factories
from tests.conftest import TEST_CONFIG, IsolatedClient


def sign_in(client, user, password=factories.PASSWORD, address="10.0.0.1", **kwargs):
    return client.post(
        "/login",
        data={"username": user.username, "password": password},
        environ_base={"REMOTE_ADDR": address},
        **kwargs,
    )


def session_cookie(client):
    return client.get_cookie("session").value


def signed_in(client):
    return client.get("/").status_code == 200


@pytest.fixture
def user(app):
    made = factories.new_user()
    db.session.commit()
    return made


def test_sign_in_starts_a_new_session(app, user):
    client = app.test_client()
    client.post("/language", data={"locale": "en", "next": "/login"})
    before = session_cookie(client)
    sign_in(client, user)
    assert session_cookie(client) != before and signed_in(client)
    stranger = app.test_client()
    stranger.set_cookie("session", before)  # a cookie planted before sign-in gets nothing
    assert not signed_in(stranger)


def test_logout_ends_every_session_of_the_user_copied_cookies_too(app, user):
    phone, laptop, thief = app.test_client(), app.test_client(), app.test_client()
    sign_in(phone, user), sign_in(laptop, user)
    thief.set_cookie("session", session_cookie(phone))
    assert signed_in(phone) and signed_in(laptop) and signed_in(thief)
    phone.post("/logout")
    assert not signed_in(phone) and not signed_in(laptop) and not signed_in(thief)


@pytest.fixture
def clock(monkeypatch):
    """Move the sessions module's clock forward."""

    class Clock:
        now = 1_800_000_000

        def advance(self, **delta):
            self.now += int(timedelta(**delta).total_seconds())

    fake = Clock()
    monkeypatch.setattr(sessions.time, "time", lambda: fake.now)
    return fake


def test_idle_sessions_end(app, user, clock):
    client = app.test_client()
    sign_in(client, user)
    clock.advance(minutes=119)
    assert signed_in(client)
    clock.advance(minutes=121)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.location
    assert "登录已过期" in client.get(response.location).text


def test_busy_sessions_still_end_after_twelve_hours(app, user, clock):
    client = app.test_client()
    sign_in(client, user)
    for _ in range(11):
        clock.advance(minutes=60)
        assert signed_in(client)
    clock.advance(minutes=61)
    assert not signed_in(client)


def test_a_session_without_its_clock_is_not_trusted(app, user):
    client = app.test_client()
    sign_in(client, user)
    with client.session_transaction() as session:
        del session["auth_at"]
    assert not signed_in(client)


def test_cookies_are_httponly_and_samesite(app, user):
    client = app.test_client()
    response = sign_in(client, user)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_over_https_cookies_are_secure_host_only_and_hsts_is_sent(app, user):
    secure = create_app({**TEST_CONFIG, "DATABASE_URL": app.config["DATABASE_URL"], "HTTPS": True})
    secure.test_client_class = IsolatedClient
    client = secure.test_client()
    response = sign_in(client, user, base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    with secure.app_context():
        db.engine.dispose()


# --- throttling --------------------------------------------------------------------------


def test_five_wrong_passwords_from_one_address_make_that_address_wait(app, user):
    client = app.test_client()
    for _ in range(5):
        assert sign_in(client, user, password="wrong-password").status_code == 200
    blocked = sign_in(client, user)  # even the right password waits now
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 800
    assert "登录失败次数过多" in blocked.text
    # The real inspector, elsewhere, is not locked out.
    assert sign_in(app.test_client(), user, address="10.9.9.9").status_code == 303


def test_the_wait_ends_by_itself(app, user):
    client = app.test_client()
    for _ in range(5):
        sign_in(client, user, password="wrong-password")
    assert sign_in(client, user).status_code == 429
    for event in db.session.scalars(select(ThrottleEvent)):
        event.at -= timedelta(minutes=16)
    db.session.commit()
    assert sign_in(client, user).status_code == 303


def test_a_spread_out_attack_on_one_account_is_slowed(app, user, monkeypatch):
    monkeypatch.setitem(__import__("inspector.throttle").throttle.LIMITS, "login-user", 8)
    for n in range(8):
        sign_in(app.test_client(), user, password="wrong-password", address=f"10.1.0.{n}")
    assert sign_in(app.test_client(), user, address="10.2.0.1").status_code == 429


def test_one_address_guessing_many_accounts_is_slowed(app, monkeypatch):
    monkeypatch.setitem(__import__("inspector.throttle").throttle.LIMITS, "address", 6)
    users = [factories.new_user() for _ in range(7)]
    db.session.commit()
    for victim in users[:6]:
        sign_in(app.test_client(), victim, password="wrong-password")
    assert sign_in(app.test_client(), users[6]).status_code == 429


def test_x_forwarded_for_is_ignored_unless_a_proxy_is_trusted(app, user):
    client = app.test_client()
    for n in range(5):
        sign_in(client, user, password="wrong", headers={"X-Forwarded-For": f"192.0.2.{n}"})
    assert sign_in(client, user, headers={"X-Forwarded-For": "192.0.2.99"}).status_code == 429

    proxied = create_app(
        {**TEST_CONFIG, "DATABASE_URL": app.config["DATABASE_URL"], "TRUSTED_PROXIES": 1}
    )
    proxied.test_client_class = IsolatedClient
    behind = proxied.test_client()
    # Behind one trusted proxy, the address it reports is the client's.
    answer = sign_in(behind, user, address="10.0.0.1", headers={"X-Forwarded-For": "192.0.2.99"})
    assert answer.status_code == 303
    with proxied.app_context():
        db.engine.dispose()


def test_every_server_counts_the_same_failures(app, user):
    other = create_app({**TEST_CONFIG, "DATABASE_URL": app.config["DATABASE_URL"]})
    other.test_client_class = IsolatedClient
    for n in range(5):
        server = app if n % 2 else other
        sign_in(server.test_client(), user, password="wrong-password")
    assert sign_in(app.test_client(), user).status_code == 429
    assert sign_in(other.test_client(), user).status_code == 429
    with other.app_context():
        db.engine.dispose()


def test_token_guessing_is_throttled_per_address(app, user, monkeypatch):
    monkeypatch.setitem(__import__("inspector.throttle").throttle.LIMITS, "address", 5)
    token = factories.new_token(user)
    db.session.commit()
    client = app.test_client()
    guess = {"REMOTE_ADDR": "10.3.0.1"}
    for n in range(5):
        answer = client.get(
            "/api/v1/me", headers={"Authorization": f"Bearer guess{n}"}, environ_base=guess
        )
        assert answer.status_code == 401
    blocked = client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {token}"}, environ_base=guess
    )
    assert blocked.status_code == 429 and blocked.json["error"]["code"] == "throttled"
    assert re.fullmatch(r"\d+", blocked.headers["Retry-After"])
    elsewhere = client.get(
        "/api/v1/me",
        headers={"Authorization": f"Bearer {token}"},
        environ_base={"REMOTE_ADDR": "10.3.0.2"},
    )
    assert elsewhere.status_code == 200


def test_token_guesses_on_photo_urls_count_too(app, user, monkeypatch):
    """Photos by URL take a bearer token as well: the same throttle applies there."""
    monkeypatch.setitem(__import__("inspector.throttle").throttle.LIMITS, "address", 3)
    client = app.test_client()
    guess = {"REMOTE_ADDR": "10.4.0.1"}
    path = "/photos/00000000-0000-4000-8000-000000000000/thumb"
    for n in range(3):
        answer = client.get(path, headers={"Authorization": f"Bearer g{n}"}, environ_base=guess)
        assert answer.status_code == 401
    blocked = client.get(path, headers={"Authorization": "Bearer g9"}, environ_base=guess)
    assert blocked.status_code == 429
    # The address is blocked for the API as well: one count for every way in.
    api = client.get("/api/v1/me", headers={"Authorization": "Bearer g9"}, environ_base=guess)
    assert api.status_code == 429

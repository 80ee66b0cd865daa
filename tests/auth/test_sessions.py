"""Sessions (ASVS V3): fresh at sign-in, ended everywhere at logout, idle and absolute limits,
cookie flags; and guessing throttled per account and per address (ASVS V2.2)."""

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from inspector import create_app
from inspector.auth import sessions, throttle
from inspector.extensions import db
from inspector.models import ThrottleEvent
from tests import factories
from tests.conftest import TEST_CONFIG, IsolatedClient


def sign_in(client, user, password=factories.PASSWORD, address="10.0.0.1", username=None, **kwargs):
    return client.post(
        "/login",
        data={"username": username or user.username, "password": password},
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


FETCH = {"Sec-Fetch-Mode": "cors", "Accept": "*/*", "Accept-Language": "en-US,en;q=0.9"}
OPEN_PAGE = {"Sec-Fetch-Mode": "navigate", "Accept": "text/html", "Accept-Language": "zh-CN"}


def messages_on(client, response):
    page = client.get(response.location, headers=OPEN_PAGE).text
    return re.findall(r'<p class="flash flash-info"[^>]*>\s*([^<]+?)\s*<', page)


def test_a_background_fetch_that_finds_the_session_ended_leaves_the_telling_to_the_page(
    app, user, clock
):
    """The field app's data fetch (in the browser's default language, as a service worker's
    may be) is the first to find the session gone: it gets 401, and the page opened next
    says why, once, in the person's language."""
    client = app.test_client()
    sign_in(client, user)
    clock.advance(hours=3)
    assert client.get("/field/data.json", headers=FETCH).status_code == 401
    assert (
        client.get("/photos/00000000-0000-0000-0000-000000000000/thumb", headers=FETCH).status_code
        == 401
    )
    response = client.get("/field/", headers=OPEN_PAGE)
    assert response.status_code == 302 and "/login" in response.location
    assert messages_on(client, response) == ["登录已过期，请重新登录。"]


def test_a_signed_out_page_asks_to_sign_in_once(app):
    client = app.test_client()
    client.get("/field/data.json", headers=FETCH)
    response = client.get("/", headers=OPEN_PAGE)
    assert messages_on(client, response) == ["请先登录。"]


def test_the_sign_in_page_keeps_the_users_language_after_their_session_ends(app, user, clock):
    user.locale = "en"
    db.session.commit()
    client = app.test_client()
    sign_in(client, user)
    client.post("/logout")
    assert "Sign in" in client.get("/login", headers=OPEN_PAGE).text  # not the browser's zh
    sign_in(client, user)
    clock.advance(hours=3)
    response = client.get("/", headers=OPEN_PAGE)
    assert messages_on(client, response) == ["Your session has ended. Please sign in again."]


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


def cookies_set(response):
    return {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}


def test_cookies_are_httponly_and_samesite(app, user):
    client = app.test_client()
    cookies = cookies_set(sign_in(client, user))
    assert set(cookies) == {"session", "device"}
    assert all("HttpOnly" in c and "SameSite=" in c for c in cookies.values())
    assert "SameSite=Lax" in cookies["session"] and "SameSite=Strict" in cookies["device"]


def test_over_https_cookies_are_secure_host_only_and_hsts_is_sent(app, user):
    secure = create_app({**TEST_CONFIG, "DATABASE_URL": app.config["DATABASE_URL"], "HTTPS": True})
    secure.test_client_class = IsolatedClient
    client = secure.test_client()
    response = sign_in(client, user, base_url="https://localhost")
    cookies = cookies_set(response)
    assert set(cookies) == {"__Host-session", "__Host-device"}
    for cookie in cookies.values():
        assert "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    with secure.app_context():
        db.engine.dispose()


# --- throttling --------------------------------------------------------------------------


def make_old(**delta):
    """Move every counted failure back in time, as if that long had passed."""
    for event in db.session.scalars(select(ThrottleEvent)):
        event.at -= timedelta(**delta)
    db.session.commit()


def fail(client, user, times=1, **kwargs):
    for _ in range(times):
        answer = sign_in(client, user, password="wrong-password", **kwargs)
        assert answer.status_code == 200, answer.status_code


def test_failures_make_the_account_wait_longer_each_time_but_never_long(app, user):
    client = app.test_client()
    fail(client, user, times=5)  # a few typos cost nothing
    blocked = sign_in(client, user)  # even the right password waits now
    assert blocked.status_code == 429 and 10 < int(blocked.headers["Retry-After"]) <= 15
    assert "登录失败次数过多" in blocked.text
    waits = []
    for _ in range(8):
        make_old(minutes=6)
        fail(client, user)
        waits.append(int(sign_in(client, user).headers["Retry-After"]))
    assert waits == sorted(waits) and waits[0] > 15  # growing...
    assert max(waits) <= 300  # ...to at most 5 minutes: never a 15-minute lock-out


def test_the_wait_ends_by_itself(app, user):
    client = app.test_client()
    fail(client, user, times=5)
    assert sign_in(client, user).status_code == 429
    make_old(seconds=16)
    assert sign_in(client, user).status_code == 303


def test_a_wait_does_not_try_the_password_or_count(app, user):
    client = app.test_client()
    fail(client, user, times=5)
    count = db.session.scalar(select(func.count()).select_from(ThrottleEvent))
    for _ in range(3):
        assert sign_in(client, user, password="wrong-password").status_code == 429
    assert db.session.scalar(select(func.count()).select_from(ThrottleEvent)) == count


@pytest.mark.parametrize(
    "typed",
    [" lead-personnel", "lead-personnel   ", "\u3000lead-personnel", "LEAD-Personnel",
     "ｌｅａｄ－ｐｅｒｓｏｎｎｅｌ"],
)  # fmt: skip
def test_every_spelling_of_a_username_is_one_account(app, typed):
    lead = factories.new_user(role="lead", username="lead-personnel")
    db.session.commit()
    assert sign_in(app.test_client(), lead, username=typed).status_code == 303
    for n, spelling in enumerate([typed, "lead-personnel", typed.upper(), typed, typed]):
        sign_in(app.test_client(), lead, username=spelling, password="wrong", address=f"10.5.0.{n}")
    # Five failures under five spellings from five addresses: one account, which now waits.
    assert sign_in(app.test_client(), lead, username=typed, address="10.6.0.1").status_code == 429


@pytest.mark.parametrize("typed", ["lead\x00personnel", "lead\x1b[2J", "ﷺ" * 10, "\u200b"])
def test_a_strange_username_is_a_wrong_one_never_a_500(app, typed):
    client = app.test_client()
    client.set_cookie("device", "not-a-signed-cookie")
    answer = client.post("/login", data={"username": typed, "password": "whatever-pass"})
    if "\x00" in typed:  # no database takes U+0000: refused for every form (inputs.py)
        assert answer.status_code == 400
        return
    assert answer.status_code == 200 and "用户名或密码错误" in answer.text


def test_a_known_device_signs_in_while_the_account_is_attacked(app, user):
    phone = app.test_client()
    assert sign_in(phone, user, address="10.7.0.1").status_code == 303
    phone.post("/logout")
    for n in range(12):
        sign_in(app.test_client(), user, password="wrong-password", address=f"10.8.0.{n}")
    # A new browser waits, even from the phone's own network...
    assert sign_in(app.test_client(), user, address="10.7.0.1").status_code == 429
    # ...but the phone where the inspector signed in before does not.
    assert sign_in(phone, user, address="10.7.0.1").status_code == 303


def test_a_device_cookie_trusts_only_its_own_accounts_and_only_so_far(app, user):
    other = factories.new_user()
    db.session.commit()
    phone = app.test_client()
    assert sign_in(phone, user).status_code == 303
    phone.post("/logout")
    fail(app.test_client(), other, times=5, address="10.9.0.1")
    fail(app.test_client(), user, times=5, address="10.9.0.1")
    assert sign_in(phone, other).status_code == 429  # the cookie names `user`, not `other`
    forged = app.test_client()
    # One signature character changed for certain: the first (its last ones carry padding
    # bits, and "xx" in place of the last two still verified about once in a thousand runs).
    payload, _, signature = phone.get_cookie("device").value.rpartition(".")
    flipped = "A" if signature[0] != "A" else "B"
    forged.set_cookie("device", f"{payload}.{flipped}{signature[1:]}")
    assert sign_in(forged, user).status_code == 429  # a tampered cookie is no cookie
    fail(phone, user, times=10)  # a stolen phone's guesses count against the phone...
    assert sign_in(phone, user).status_code == 429  # ...which is then a stranger like any other


def test_one_address_guessing_many_accounts_is_slowed(app, monkeypatch):
    monkeypatch.setitem(throttle.RULES, "address", replace(throttle.RULES["address"], free=6))
    users = [factories.new_user() for _ in range(7)]
    db.session.commit()
    for victim in users[:6]:
        sign_in(app.test_client(), victim, password="wrong-password")
    assert sign_in(app.test_client(), users[6]).status_code == 429
    assert sign_in(app.test_client(), users[6], address="10.0.0.2").status_code == 303


def test_x_forwarded_for_is_ignored_unless_a_proxy_is_trusted(app, monkeypatch):
    monkeypatch.setitem(throttle.RULES, "address", replace(throttle.RULES["address"], free=5))
    users = [factories.new_user() for _ in range(6)]
    db.session.commit()
    for n, victim in enumerate(users[:5]):
        forged = {"X-Forwarded-For": f"192.0.2.{n}"}
        sign_in(app.test_client(), victim, password="wrong", headers=forged)
    last = sign_in(app.test_client(), users[5], headers={"X-Forwarded-For": "192.0.2.99"})
    assert last.status_code == 429  # counted under the real address, 10.0.0.1

    proxied = create_app(
        {**TEST_CONFIG, "DATABASE_URL": app.config["DATABASE_URL"], "TRUSTED_PROXIES": 1}
    )
    proxied.test_client_class = IsolatedClient
    behind = proxied.test_client()
    # Behind one trusted proxy, the address it reports is the client's.
    answer = sign_in(behind, users[5], headers={"X-Forwarded-For": "192.0.2.99"})
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


def bearer(client, token, address, path="/api/v1/me"):
    return client.get(
        path, headers={"Authorization": f"Bearer {token}"}, environ_base={"REMOTE_ADDR": address}
    )


def test_wrong_tokens_are_throttled_per_address_but_a_valid_one_always_works(
    app, user, monkeypatch
):
    monkeypatch.setitem(throttle.RULES, "token", replace(throttle.RULES["token"], free=5))
    token = factories.new_token(user)
    db.session.commit()
    client = app.test_client()
    for n in range(5):
        assert bearer(client, f"guess{n}", "10.3.0.1").status_code == 401
    blocked = bearer(client, "guess9", "10.3.0.1")
    assert blocked.status_code == 429 and blocked.json["error"]["code"] == "throttled"
    assert re.fullmatch(r"\d+", blocked.headers["Retry-After"])
    # Behind the same NAT (or an untrusted proxy), a good token is not refused.
    assert bearer(client, token, "10.3.0.1").status_code == 200
    # Throttled guesses are not stored: an attacker cannot make the table grow.
    stored = db.session.scalar(select(func.count()).select_from(ThrottleEvent))
    for n in range(5):
        assert bearer(client, f"more{n}", "10.3.0.1").status_code == 429
    assert db.session.scalar(select(func.count()).select_from(ThrottleEvent)) == stored


def test_token_guesses_on_photo_urls_count_too(app, user, monkeypatch):
    """Photos by URL take a bearer token as well: the same throttle applies there."""
    monkeypatch.setitem(throttle.RULES, "token", replace(throttle.RULES["token"], free=3))
    token = factories.new_token(user)
    db.session.commit()
    client = app.test_client()
    path = "/photos/00000000-0000-4000-8000-000000000000/thumb"
    for n in range(3):
        assert bearer(client, f"g{n}", "10.4.0.1", path).status_code == 401
    assert bearer(client, "g9", "10.4.0.1", path).status_code == 429
    # One count for every way in: the API refuses wrong tokens from there too.
    assert bearer(client, "g9", "10.4.0.1").status_code == 429
    assert bearer(client, token, "10.4.0.1", path).status_code == 404  # a good token passes


# --- what the browser may keep ------------------------------------------------------------


def test_signed_in_answers_are_never_stored_public_ones_keep_their_caching(app, user):
    client = app.test_client()
    anonymous = {path: client.get(path) for path in ("/login", "/manifest.webmanifest")}
    assert all("no-store" not in r.headers.get("Cache-Control", "") for r in anonymous.values())
    sign_in(client, user)
    for path in ("/", "/account", "/field/", "/field/data.json", "/api/v1/me"):
        answer = client.get(path)
        assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store", path
    token = factories.new_token(user)
    db.session.commit()
    api = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert api.headers["Cache-Control"] == "no-store"
    with client.get(
        re.search(r'href="(/static/css/app.css[^"]*)"', client.get("/").text)[1]
    ) as css:
        assert css.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def session_marker(client):
    html = client.get("/login" if not signed_in(client) else "/", follow_redirects=True).text
    return re.search(r'<meta name="inspector-session" content="([^"]*)">', html)[1]


def test_every_page_names_its_session_so_the_phone_can_tell_when_it_ended(app, user, clock):
    """static/js/sw-register.js forgets the field data when this changes (docs/offline.md)."""
    client = app.test_client()
    assert session_marker(client) == ""
    sign_in(client, user)
    first = session_marker(client)
    assert first and session_marker(client) == first
    clock.advance(hours=3)
    assert session_marker(client) == ""  # timed out: signed out
    sign_in(client, user)
    assert session_marker(client) not in ("", first)  # a new sign-in, a new name

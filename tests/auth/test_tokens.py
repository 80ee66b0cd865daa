"""API tokens over their life: issued (with an expiry), listed, used, revoked, on the command
line and on the web."""

import sqlite3
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, select, text

from inspector.auth import tokens
from inspector.extensions import db
from inspector.models import ApiToken, AuditEvent, Role
from tests import factories


def me(client, token):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def one_line_error(result, *words):
    assert result.exit_code != 0
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert all(word in result.stderr for word in words), result.stderr


# --- command line ---------------------------------------------------------------------------


def test_list_tokens_prints_one_line_per_token(runner):
    user = factories.new_user(username="wang")
    db.session.commit()
    runner.invoke(args=["create-token", "wang", "--label", "王的手机"])
    runner.invoke(
        args=["create-token", "Wang", "--label", "nightly\texport\nscript", "--days", "30"]
    )
    listed = runner.invoke(args=["list-tokens", "wang"])
    assert listed.exit_code == 0, listed.output
    lines = [line.split("\t") for line in listed.stdout.splitlines()]
    newest, oldest = lines
    assert [len(line) for line in lines] == [5, 5]
    assert oldest[1:2] == ["王的手机"] and oldest[3:] == ["never", "never"]
    assert newest[1] == "nightly export script"  # a label never breaks the line
    expiry = datetime.strptime(newest[4], "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    assert timedelta(days=29) < expiry - datetime.now(UTC) <= timedelta(days=30)
    assert {int(line[0]) for line in lines} == {t.id for t in tokens.tokens_of(user)}


def test_revoke_token_stops_it_at_once(runner, client):
    factories.new_user(username="li")
    db.session.commit()
    token = runner.invoke(args=["create-token", "li"]).stdout.strip()
    assert me(client, token).status_code == 200
    ident = runner.invoke(args=["list-tokens", "li"]).stdout.split("\t")[0]
    result = runner.invoke(args=["revoke-token", ident])
    assert result.exit_code == 0 and result.stdout == ""
    assert me(client, token).status_code == 401
    assert runner.invoke(args=["list-tokens", "li"]).stdout == ""  # revoked: not listed
    assert runner.invoke(args=["revoke-token", ident]).exit_code == 0  # again: nothing to do
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "token.revoke"))


@pytest.mark.parametrize(
    "args, words",
    [
        (["list-tokens", "ghost"], ["ghost"]),
        (["create-token", "ghost"], ["ghost"]),
        (["revoke-token", "99999"], ["99999"]),
        (["revoke-token", "abc"], ["abc"]),
        (["revoke-token", "99999999999999999999"], ["99999999999999999999"]),
        (["create-token", "zhao", "--days", "0"], ["--days"]),
        (["create-token", "zhao", "--days", "a week"], ["--days"]),
        (["create-token", "zhao", "--days", "-3"], ["--days"]),
    ],
)
def test_token_commands_fail_with_one_line(runner, args, words):
    factories.new_user(username="zhao")
    db.session.commit()
    one_line_error(runner.invoke(args=args), *words)
    assert db.session.query(ApiToken).count() == 0


def test_an_expired_token_is_refused(runner, client):
    factories.new_user(username="sun")
    db.session.commit()
    token = runner.invoke(args=["create-token", "sun", "--days", "1"]).stdout.strip()
    assert me(client, token).status_code == 200
    stored = db.session.scalars(select(ApiToken)).one()
    stored.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    db.session.commit()
    answer = me(client, token)
    assert answer.status_code == 401 and answer.json["error"]["code"] == "unauthorized"


# --- last use -------------------------------------------------------------------------------


@pytest.fixture
def token(app):
    user = factories.new_user()
    issued = factories.new_token(user)
    db.session.commit()
    return issued


def last_used(issued):
    db.session.expire_all()
    return db.session.scalar(
        select(ApiToken.last_used_at).where(ApiToken.token_hash == tokens.hash_token(issued))
    )


def test_last_use_is_noted_at_most_once_a_minute(client, token):
    assert last_used(token) is None
    assert me(client, token).status_code == 200
    first = last_used(token)
    assert first is not None and datetime.now(UTC) - first < timedelta(seconds=10)
    assert me(client, token).status_code == 200
    assert last_used(token) == first  # not written again within the minute
    db.session.execute(
        ApiToken.__table__.update().values(last_used_at=first - timedelta(minutes=2))
    )
    db.session.commit()
    assert me(client, token).status_code == 200
    assert last_used(token) > first - timedelta(minutes=2)
    # A write request notes it too: its token is read before its write transaction begins
    # (database.read_only_part), so the use is noted even when the change is refused.
    db.session.execute(ApiToken.__table__.update().values(last_used_at=None))
    db.session.commit()
    answer = client.post(
        "/api/v1/departments", json={}, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 403 and last_used(token) is not None


@pytest.fixture
def database_locked(app):
    """Another program holds the database's write lock (SQLite) or the token rows (PostgreSQL)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        other = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        yield
        other.execute("ROLLBACK")
        other.close()
        return
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as other:
        other.execute(text("SELECT id FROM api_token FOR UPDATE"))
        yield
        other.rollback()
    engine.dispose()


def test_noting_a_use_never_makes_a_get_wait_or_fail(client, token, database_locked):
    started = time.monotonic()
    answer = me(client, token)
    assert answer.status_code == 200
    assert time.monotonic() - started < 2  # the busy timeout is 5 s in tests
    assert last_used(token) is None  # skipped; the next use a minute later tries again


# --- web ------------------------------------------------------------------------------------


def test_users_see_and_revoke_their_own_tokens(client, login_as):
    user = login_as(Role.INSPECTOR)
    mine = tokens.create_token(None, user, "巡查手机")
    other = factories.new_user()
    theirs = tokens.create_token(None, other, "someone else's")
    db.session.commit()
    assert 'href="/account/tokens"' in client.get("/account").text
    page = client.get("/account/tokens")
    assert "巡查手机" in page.text and "someone else" not in page.text
    ident = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == user.id))
    other_ident = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == other.id))
    assert client.post(f"/account/tokens/{other_ident}/revoke").status_code == 404
    done = client.post(f"/account/tokens/{ident}/revoke")
    assert done.status_code == 303 and done.location == "/account/tokens"
    assert me(client, mine).status_code == 401 and me(client, theirs).status_code == 200
    assert "巡查手机</strong>" not in client.get("/account/tokens").text  # only said revoked


def test_admins_see_and_revoke_anyones_tokens(client, login_as):
    login_as(Role.ADMIN)
    lead = factories.new_user(Role.LEAD)
    issued = tokens.create_token(None, lead, "OA 对接")
    db.session.commit()
    assert f'href="/admin/users/{lead.id}/tokens"' in client.get(f"/admin/users/{lead.id}").text
    assert "OA 对接" in client.get(f"/admin/users/{lead.id}/tokens").text
    ident = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == lead.id))
    done = client.post(f"/account/tokens/{ident}/revoke")
    assert done.status_code == 303 and done.location == f"/admin/users/{lead.id}/tokens"
    assert me(client, issued).status_code == 401


@pytest.mark.parametrize(
    "language, words", [("zh", ["API 令牌", "撤销", "从未使用"]), ("en", ["API tokens", "Revoke"])]
)
def test_the_token_page_speaks_the_users_language(client, login_as, language, words):
    user = login_as(Role.SUPERVISOR)
    tokens.create_token(None, user, "x")
    db.session.commit()
    client.post("/language", data={"locale": language, "next": "/"})
    page = client.get("/account/tokens").text
    assert all(word in page for word in words)

"""A bearer token's caller is read as plain values in one statement; the account's ORM entity is
made from the same row, without a query, only when a request uses it (inspector/auth/callers)."""

import contextlib

import pytest
from sqlalchemy import event, inspect, select

from inspector.auth import callers, tokens
from inspector.auth.callers import Caller
from inspector.extensions import db
from inspector.models import Role, User
from tests import factories


@contextlib.contextmanager
def statements():
    """The SQL statements run inside the block."""
    seen = []

    def note(_connection, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


@contextlib.contextmanager
def sqlite_calls():
    """Every statement SQLite itself runs inside the block, BEGIN and ROLLBACK included (the
    driver's trace, which sees what SQLAlchemy's events do not)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's own trace")
    seen, recording = [], [True]

    def note(statement):
        if recording:
            seen.append(statement)

    def trace(connection):
        connection.connection.driver_connection.set_trace_callback(note)

    event.listen(db.engine, "engine_connect", trace)
    try:
        yield seen
    finally:
        event.remove(db.engine, "engine_connect", trace)
        recording.clear()  # the pool's connections keep the callback: it notes no more


@contextlib.contextmanager
def accounts_made():
    """The User entities constructed inside the block (loaded by a query or made by a Caller)."""
    made = []

    def on_init(target, *_args):
        made.append(target)

    def on_load(target, _context):
        made.append(target)

    event.listen(User, "init", on_init)
    event.listen(User, "load", on_load)
    try:
        yield made
    finally:
        event.remove(User, "init", on_init)
        event.remove(User, "load", on_load)


def lead_with_token():
    department = factories.new_department(code="finance")
    user = factories.new_user(role=Role.LEAD, department=department, locale="en")
    token = factories.new_token(user)
    db.session.commit()
    return user, token


def test_me_reads_its_caller_in_one_statement_and_makes_no_entity(client):
    user, token = lead_with_token()
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=bearer).status_code == 200  # notes the first use
    with statements() as seen, accounts_made() as made:
        answer = client.get("/api/v1/me", headers=bearer)
    assert answer.json == {"username": user.username, "role": "lead", "department": "finance"}
    assert len(seen) == 1 and made == []


def test_a_request_that_uses_the_account_makes_it_once_without_a_query(client, app):
    user, token = lead_with_token()
    bearer = {"Authorization": f"Bearer {token}"}
    client.get("/api/v1/me", headers=bearer)
    with accounts_made() as made:
        assert client.get("/api/v1/inspections", headers=bearer).status_code == 200
    assert len(made) == 1
    with app.test_request_context("/api/v1/inspections"):
        caller = tokens.caller_for_token(token)
        with statements() as seen:
            caller.user()
        assert seen == []


def test_the_entity_made_from_the_row_is_the_account_as_a_query_loads_it(app):
    user, token = lead_with_token()
    with app.test_request_context("/"):
        caller = tokens.caller_for_token(token)
        assert (caller.id, caller.username, caller.role, caller.locale, caller.department) == (
            user.id,
            user.username,
            Role.LEAD,
            "en",
            "finance",
        )
        db.session.expunge_all()
        made = caller.user()
        state = inspect(made)
        assert state.persistent and not db.session.dirty and not state.expired_attributes
        with statements() as seen:
            db.session.flush()
            assert made.department.code == "finance"  # made with it: no query
        assert seen == []  # nothing to write: it is as loaded
        made_values = {key: getattr(made, key) for key in callers.ACCOUNT}
        loaded = db.session.execute(
            select(User).where(User.id == user.id).execution_options(populate_existing=True)
        ).scalar_one()
        assert loaded is made  # the session's one entity for the account
        assert made_values == {key: getattr(loaded, key) for key in callers.ACCOUNT}


def test_an_entity_the_session_holds_is_used_and_changes_to_it_are_saved(app):
    user, token = lead_with_token()
    with app.test_request_context("/", method="POST"):
        held = db.session.get(User, user.id)
        caller = tokens.caller_for_token(token)
        assert caller.user() is held
        db.session.expunge_all()
        made = caller.user()
        made.display_name = "财务科 王科长"
        with statements() as seen:
            db.session.commit()  # only the change is written, and the entity expires as usual
        updates = [statement for statement in seen if statement.startswith("UPDATE")]
        assert len(updates) == 1 and "SET display_name=" in updates[0], updates
        assert " username_key=" not in updates[0] and " role=" not in updates[0]
        assert made.display_name == "财务科 王科长"
        db.session.expunge_all()
        assert db.session.get(User, user.id).display_name == "财务科 王科长"


def test_the_web_sessions_user_on_the_api_is_its_caller(client, login_as):
    department = factories.new_department(code="office")
    user = login_as(Role.INSPECTOR, department=department, locale="zh")
    answer = client.get("/api/v1/me")
    assert answer.json == {"username": user.username, "role": "inspector", "department": "office"}


def test_a_caller_never_shows_the_accounts_secrets(app):
    user, token = lead_with_token()
    with app.test_request_context("/"):
        shown = repr(tokens.caller_for_token(token))
    assert user.username in shown
    assert user.password_hash not in shown and user.session_key not in shown


def test_a_caller_of_a_loaded_account_makes_the_same_account_in_another_session(app):
    user = factories.new_user(role=Role.SUPERVISOR, email="wang@example.org")
    db.session.commit()
    with app.test_request_context("/"):
        caller = Caller.of(db.session.get(User, user.id))
        db.session.expunge_all()
        made = caller.user()
        assert (made.id, made.username, made.email, made.role) == (
            user.id,
            user.username,
            "wang@example.org",
            Role.SUPERVISOR,
        )


def test_making_the_account_in_a_write_request_leaves_no_transaction_open(app):
    """Attaching an entity begins the session's transaction; in a write request the next read
    would then take the write lock before the slow work (a photo's decoding) that must not."""
    user, token = lead_with_token()
    with app.test_request_context("/", method="PUT"):
        caller = tokens.caller_for_token(token)
        db.session.commit()
        db.session.expunge_all()  # the test's own entities, expired by that commit
        assert not db.session().in_transaction()
        made = caller.user()
        assert not db.session().in_transaction()
        assert made.department.code == "finance" and not db.session().in_transaction()


def test_on_sqlite_the_token_is_read_as_one_statement_and_the_request_keeps_its_snapshot(
    client, app
):
    """Each call into SQLite hands the interpreter to another thread and back under a threaded
    worker: the token's read runs without BEGIN and ROLLBACK, which doubled its cost under load.
    What the request reads after it is still one transaction (one snapshot)."""
    user, token = lead_with_token()
    bearer = {"Authorization": f"Bearer {token}"}
    client.get("/api/v1/me", headers=bearer)  # notes the first use
    with sqlite_calls() as seen:
        assert client.get("/api/v1/me", headers=bearer).status_code == 200
    assert [statement.split()[0] for statement in seen] == ["SELECT"]
    with sqlite_calls() as seen:
        assert client.get("/api/v1/inspections", headers=bearer).status_code == 200
    words = [statement.split()[0] for statement in seen]
    assert words[0] == "SELECT" and words[1] == "BEGIN" and words[-1] == "ROLLBACK", words
    assert "BEGIN" not in words[2:] and words.count("SELECT") >= 2

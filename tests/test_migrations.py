"""Hand-written migrations bring existing data along (tests/test_cli.py runs them end to end)."""

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from inspector.extensions import db


def add_user(username):
    db.session.execute(
        text(
            'INSERT INTO "user" (username, display_name, password_hash, role, active, '
            "session_key, created_at) VALUES (:u, '', 'x', 'inspector', true, :u, :at)"
        ),
        {"u": username, "at": "2026-11-01 00:00:00+00:00"},
    )


@pytest.fixture
def at_0006(app):
    db.session.commit()
    downgrade(revision="0006")
    yield
    db.session.rollback()


def test_0007_gives_existing_users_their_normalised_username(app, at_0006):
    for name in ("Wang", "ｌｉ", "zhao"):
        add_user(name)
    db.session.commit()
    upgrade()
    keys = db.session.execute(text('SELECT username, username_key FROM "user"')).all()
    assert sorted(keys) == [("Wang", "wang"), ("zhao", "zhao"), ("ｌｉ", "li")]


def test_0007_names_usernames_that_would_become_one(app, at_0006, capfd):
    for name in ("li", "ＬＩ"):
        add_user(name)
    db.session.commit()
    with pytest.raises(SystemExit):
        upgrade()
    said = capfd.readouterr().err
    assert "differ only in case or width" in said and "ＬＩ" in said

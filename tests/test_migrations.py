"""Hand-written migrations bring existing data along (tests/test_cli.py runs them end to end)."""

from datetime import timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from werkzeug.security import generate_password_hash

from inspector.demo import DEMO_PASSWORD
from inspector.extensions import db


def add_user(username, password_hash="x"):
    db.session.execute(
        text(
            'INSERT INTO "user" (username, display_name, password_hash, role, active, '
            "session_key, created_at) VALUES (:u, '', :h, 'inspector', true, :u, :at)"
        ),
        {"u": username, "h": password_hash, "at": "2026-11-01 00:00:00+00:00"},
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


def test_0007_marks_demo_accounts_that_still_have_the_demo_password(app, at_0006):
    demo_hash = generate_password_hash(DEMO_PASSWORD)
    add_user("admin", demo_hash)
    add_user("supervisor", generate_password_hash("changed-after-seeding"))
    add_user("wang", generate_password_hash(DEMO_PASSWORD))  # not a demo account
    db.session.commit()
    upgrade()
    marked = db.session.execute(
        text('SELECT username FROM "user" WHERE demo_password_hash = password_hash')
    ).all()
    assert marked == [("admin",)]


def test_0016_gives_retired_checklists_the_time_of_their_retirement(app, client, login_as):
    from inspector.demo.checklists import OFFICE_WEEKLY
    from inspector.models import Checklist, Role
    from tests import factories

    kept = factories.new_checklist({**OFFICE_WEEKLY, "code": "kept"})
    retired = factories.new_checklist({**OFFICE_WEEKLY, "code": "old"})
    db.session.commit()
    login_as(Role.ADMIN)
    client.post(f"/checklists/{retired.id}/status", data={"action": "retire"})
    when = db.session.get(Checklist, retired.id).retired_at
    db.session.commit()
    downgrade(revision="0015")
    upgrade()
    db.session.expire_all()
    backfilled = db.session.get(Checklist, retired.id).retired_at  # the audit event's time
    assert timedelta(0) <= backfilled - when < timedelta(seconds=5)
    assert db.session.get(Checklist, kept.id).retired_at is None

"""The audit trail (ASVS V7.2, V7.3): who did what and when, and it cannot be edited."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, select, update

from inspector.auth import accounts
from inspector.extensions import db
from inspector.inspections.services import review_inspection
from inspector.models import AuditEvent, Role
from inspector.periods import parse_period
from inspector.scores.closing import close_period, reopen_period
from tests import factories


def events(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_reviews_score_changes_role_changes_and_deletions_are_recorded(app):
    admin = factories.new_user(Role.ADMIN)
    supervisor = factories.new_user(Role.SUPERVISOR)
    inspector = factories.new_user(Role.INSPECTOR)
    site = factories.new_site()
    when = datetime(2026, 11, 3, 2, tzinfo=UTC)
    submitted = factories.new_inspection(site, 80.0, when, inspector=inspector)
    db.session.commit()

    review_inspection(supervisor, submitted, "approve", "", app.config)
    closed = close_period(supervisor, parse_period("2026-W45"), app.config, date(2026, 11, 29))
    reopen_period(admin, closed)
    accounts.update_user(admin, inspector, Role.SUPERVISOR, None, True)
    db.session.commit()

    expected = {
        "inspection.approve": supervisor,
        "period.close": supervisor,
        "period.reopen": admin,
        "user.role": admin,
    }
    for action, actor in expected.items():
        [event] = events(action)
        assert event.actor_id == actor.id, action
        assert event.at.date() >= date(2026, 1, 1)
    assert events("user.role")[0].details == {"old": "inspector", "new": "supervisor"}


def test_the_trail_cannot_be_changed_or_deleted_through_the_app(app):
    user = factories.new_user()
    db.session.commit()
    event = events("user.create")[0] if events("user.create") else None
    if event is None:
        from inspector import audit

        event = audit.record(user, "user.create", user)
        db.session.commit()
    event.action = "nothing.happened"
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    for statement in (update(AuditEvent).values(action="x"), delete(AuditEvent)):
        with pytest.raises(PermissionError):
            db.session.execute(statement)
        db.session.rollback()
    assert db.session.get(AuditEvent, event.id).action != "nothing.happened"


def test_no_route_edits_the_trail(app):
    for rule in app.url_map.iter_rules():
        assert "audit" not in rule.rule or not (rule.methods & {"POST", "PUT", "PATCH", "DELETE"})

"""Two closes of one span at the same moment make one close, and the other answers 409.

The race is a second close that checked for a close in force before the first committed. It is
played here by hiding the first from that check; the database's own rule (one close in force
per span, one closure per framework and year) must then refuse the second.
"""

from datetime import date

import pytest

from inspector.errors import ConflictError, PeriodClosedError
from inspector.extensions import db
from inspector.frameworks import closing as evaluation_closing
from inspector.models import ClosedPeriod, EvaluationClosure, Role
from inspector.periods import parse_period
from inspector.scores import closing
from tests import factories


def test_a_second_close_of_a_span_at_the_same_moment_is_refused(app, monkeypatch):
    supervisor = factories.new_user(Role.SUPERVISOR)
    week = parse_period("2026-W40")
    closing.close_period(supervisor, week, app.config, date(2026, 11, 29))
    db.session.commit()
    monkeypatch.setattr(ClosedPeriod, "in_force", classmethod(lambda cls, first, last: None))
    with pytest.raises(PeriodClosedError):
        closing.close_period(supervisor, week, app.config, date(2026, 11, 29))
    db.session.commit()  # the session goes on: the refused insert was its own savepoint
    assert db.session.query(ClosedPeriod).count() == 1
    # Reopened, the span may be closed again.
    first = db.session.query(ClosedPeriod).one()
    first.reopened_at, first.reopened_by_id = first.closed_at, supervisor.id
    db.session.commit()
    closing.close_period(supervisor, week, app.config, date(2026, 11, 29))
    db.session.commit()
    assert db.session.query(ClosedPeriod).count() == 2


def test_a_second_close_of_a_years_evaluation_at_the_same_moment_is_refused(app, monkeypatch):
    from inspector.frameworks.services import save_framework

    admin = factories.new_user(Role.ADMIN)
    framework = save_framework(admin, {
        "code": "f", "name": "测评", "year": 2026,
        "indicators": [{"code": "1", "title": "问卷", "points": 10, "method": "survey"}],
    })  # fmt: skip
    db.session.commit()
    evaluation_closing.close_evaluation(admin, framework, 2026, "Asia/Shanghai")
    db.session.commit()
    monkeypatch.setattr(evaluation_closing, "closure_of", lambda framework, year: None)
    with pytest.raises(ConflictError):
        evaluation_closing.close_evaluation(admin, framework, 2026, "Asia/Shanghai")
    db.session.commit()
    assert db.session.query(EvaluationClosure).count() == 1

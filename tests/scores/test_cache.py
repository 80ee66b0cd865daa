"""Cached score sheets: reused while the data is unchanged, never older than the database."""

from datetime import UTC, date, datetime, timedelta

import pytest

from inspector import create_app
from inspector.extensions import db
from inspector.inspections.services import review_inspection
from inspector.models import Role, Site
from inspector.periods import parse_period
from inspector.scores import closing
from inspector.scores.cache import current_version
from inspector.scores.history import sheet_with_history
from inspector.scores.hotspots import hot_spots
from inspector.scores.rollup import department_scores
from tests import factories
from tests.conftest import TEST_CONFIG

WEEK = parse_period("2026-W48")
MONDAY = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.fixture
def org(app):
    site = factories.new_site(department=factories.new_department(code="a"))
    checklist = factories.new_checklist()
    inspector = factories.new_user()
    supervisor = factories.new_user(role=Role.SUPERVISOR)
    db.session.commit()

    def inspect(percent, **kwargs):
        record = factories.new_inspection(
            site, percent, MONDAY, checklist=checklist, inspector=inspector, **kwargs
        )
        db.session.commit()
        return record

    inspect.site, inspect.supervisor = site, supervisor
    return inspect


def sheet(app, final=False):
    return closing.score_sheet(WEEK.first, WEEK.last, final, app.config)


def row(app, final=False):
    return next(r for r in sheet(app, final)["departments"] if r["department"] == "a")


def fresh(app, final=False):
    """The same sheet computed now, without the cache."""
    return {**department_scores(WEEK.first, WEEK.last, final, app.config), "closed": False}


@pytest.fixture
def computations(monkeypatch):
    """Count how often the roll-up really runs."""
    calls = []

    def counting(*args):
        calls.append(args)
        return department_scores(*args)

    monkeypatch.setattr(closing, "department_scores", counting)
    return calls


def test_a_sheet_is_computed_once_while_nothing_changes(app, org, computations):
    org(80.0)
    first = sheet(app)
    assert sheet(app) is first and len(computations) == 1
    sheet_with_history(WEEK, False, app.config), sheet_with_history(WEEK, False, app.config)
    assert len(computations) == 1 + 11  # the eleven earlier weeks of the trend, once each


def test_every_kind_of_change_moves_the_version_and_the_numbers(app, org):
    versions = [current_version()]

    def changed():
        versions.append(current_version())
        assert versions[-1] > versions[-2]
        assert sheet(app) == fresh(app) and sheet(app, True) == fresh(app, True)

    first = org(80.0)
    assert row(app)["percent"] == 80.0  # cached from here
    org(60.0)
    changed()
    assert row(app)["percent"] == 70.0
    review_inspection(org.supervisor, first, "approve", "", app.config)
    db.session.commit()
    changed()
    assert row(app, final=True)["percent"] == 80.0
    second = org(40.0)
    review_inspection(org.supervisor, second, "return", "Photos missing", app.config)
    db.session.commit()
    changed()
    db.session.delete(second)
    db.session.commit()
    assert current_version() > versions[-1]
    org.site.department.name = "Renamed office"
    db.session.commit()
    changed()
    assert row(app)["name"] == "Renamed office"
    closing.close_period(org.supervisor, WEEK, app.config, WEEK.last + timedelta(days=1))
    db.session.commit()
    assert current_version() > versions[-1] and sheet(app)["closed"] is True


def test_reading_changes_nothing_and_a_rollback_counts_nothing(app, org):
    org(80.0)
    before = current_version()
    sheet(app), hot_spots(WEEK.first, WEEK.last, app.config)
    db.session.commit()
    assert current_version() == before
    org.site.department.name = "Never saved"
    db.session.flush()
    assert row(app)["name"] == "Never saved"  # the changing transaction sees its own change
    db.session.rollback()
    assert current_version() == before and row(app)["name"] != "Never saved"


def test_another_server_on_the_same_database_sees_every_change(app, org):
    org(80.0)
    assert row(app)["percent"] == 80.0
    site_id = org.site.id
    other = create_app({**TEST_CONFIG, "DATABASE_URL": app.config["DATABASE_URL"]})
    with other.app_context():
        assert row(other)["percent"] == 80.0
        factories.new_inspection(db.session.get(Site, site_id), 40.0, MONDAY)
        db.session.commit()  # by the other server
        assert row(other)["percent"] == 60.0
        db.session.remove()
        db.engine.dispose()
    db.session.rollback()  # end this server's read transaction, as a new request would
    assert row(app)["percent"] == 60.0


def test_hot_spots_are_cached_per_department_and_limit(app, org):
    org(80.0)
    spots = hot_spots(WEEK.first, WEEK.last, app.config)
    assert hot_spots(WEEK.first, WEEK.last, app.config) is spots
    assert hot_spots(WEEK.first, WEEK.last, app.config, limit=5) is not spots
    assert hot_spots(date(2026, 11, 23), date(2026, 11, 29), app.config) is spots


def test_the_cache_can_be_turned_off(app, org, computations):
    app.config["SCORE_CACHE"] = False
    org(80.0)
    assert sheet(app) == sheet(app) and len(computations) == 2

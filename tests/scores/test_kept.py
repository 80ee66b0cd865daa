"""Kept sheet rows: after a change, only the departments it touched are read again.

That they are then exact after every kind of write is tested where the writes are drawn at
random (tests/scores/test_totals.py) and per write path across two servers
(tests/scores/test_freshness.py). Here: what is read, and when everything is read instead.
"""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event, func, insert, select, text, update

from inspector.extensions import db
from inspector.models import DataVersion, Department, DepartmentChange
from inspector.scores import cache, closing, kept
from inspector.scores.rollup import department_scores
from tests import factories

WHEN = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def world(app):
    sites = [factories.new_site(department=factories.new_department(code=c)) for c in "abc"]
    checklist = factories.new_checklist()
    for n, site in enumerate(sites):
        factories.new_inspection(site, 60.0 + n * 10, WHEN, checklist=checklist)
    db.session.commit()
    return sites, checklist


@pytest.fixture
def reads(monkeypatch):
    """What the sheet reads: None for every department, else the set of department ids."""
    seen = []
    rows = kept.rows

    def spying(key, read):
        def spied(departments):
            seen.append(None if departments is None else set(departments))
            return read(departments)

        return rows(key, spied)

    monkeypatch.setattr(kept, "rows", spying)
    return seen


def sheet(app):
    db.session.rollback()  # a new transaction, as a new request
    return department_scores(*YEAR, False, app.config)["departments"]


def percents(app):
    return {row["department"]: row["percent"] for row in sheet(app)}


def test_a_change_reads_again_only_the_departments_it_touched(app, world, reads):
    sites, checklist = world
    assert percents(app) == {"a": 60.0, "b": 70.0, "c": 80.0}
    assert reads == [None]
    percents(app)
    assert reads == [None]  # nothing changed: nothing read
    factories.new_inspection(sites[1], 90.0, WHEN, checklist=checklist)
    db.session.commit()
    assert percents(app) == {"a": 60.0, "b": 80.0, "c": 80.0}
    assert reads == [None, {sites[1].department_id}]
    sites[2].department.name = "Renamed"
    db.session.commit()
    assert {row["name"] for row in sheet(app)} >= {"Renamed"}
    assert reads[-1] == {sites[2].department_id}


def test_a_change_to_nothing_in_the_sheet_reads_nothing(app, world, reads):
    sites, checklist = world
    percents(app)
    factories.new_checklist()  # moves the counter, touches no department's rows
    db.session.commit()
    assert percents(app) == {"a": 60.0, "b": 70.0, "c": 80.0}
    assert reads == [None]


def test_a_department_that_leaves_the_sheet_leaves_the_kept_rows(app, world, reads):
    sites, checklist = world
    empty = factories.new_department(code="d")
    db.session.commit()
    assert "d" in percents(app)
    empty.active = False
    db.session.commit()
    assert "d" not in percents(app)
    assert reads == [None, {empty.id}]


def test_everything_is_read_again_after_a_rebuild_or_when_the_log_is_too_short(
    app, world, reads, runner, monkeypatch
):
    sites, checklist = world
    percents(app)
    assert runner.invoke(args=["rebuild-score-totals"]).exit_code == 0
    percents(app)
    assert reads == [None, None]
    # Many steps later than the log keeps: the kept rows are too old to bring up to date.
    monkeypatch.setattr(cache, "LOG_WINDOW", 2)
    for percent in (10.0, 20.0, 30.0):
        factories.new_inspection(sites[0], percent, WHEN, checklist=checklist)
        db.session.commit()
    assert percents(app)["a"] == 30.0
    assert reads == [None, None, None]


def test_a_transaction_with_changes_of_its_own_reads_everything_and_keeps_nothing(
    app, world, reads
):
    sites, checklist = world
    percents(app)
    factories.new_inspection(sites[0], 0.0, WHEN, checklist=checklist)
    db.session.flush()
    assert department_scores(*YEAR, False, app.config)["departments"][-1]["percent"] == 30.0
    db.session.rollback()
    assert percents(app)["a"] == 60.0
    assert reads == [None, None]  # the rolled-back change was never kept


def test_a_savepoint_rolled_back_keeps_the_changes_made_before_it(app, world, reads):
    sites, checklist = world
    percents(app)
    factories.new_inspection(sites[0], 100.0, WHEN, checklist=checklist)
    with db.session.begin_nested() as savepoint:
        factories.new_department(code="never")
        savepoint.rollback()
    db.session.commit()
    assert percents(app)["a"] == 80.0  # counted: the savepoint did not forget the change
    # The department added in the savepoint is read again for nothing: harmless.
    assert reads[0] is None and sites[0].department_id in reads[1]


def test_the_log_keeps_a_window_of_steps(app, world, monkeypatch):
    sites, checklist = world
    monkeypatch.setattr(cache, "LOG_WINDOW", 3)
    monkeypatch.setattr(cache, "PRUNE_EVERY", 2)
    for _ in range(6):
        factories.new_inspection(sites[0], 50.0, WHEN, checklist=checklist)
        db.session.commit()
    counter = db.session.scalar(select(DataVersion.counter).where(DataVersion.name == cache.AREA))
    oldest = db.session.scalar(select(func.min(DepartmentChange.version)))
    assert counter - cache.LOG_WINDOW - cache.PRUNE_EVERY < oldest <= counter
    assert cache.changed_since(counter - 1) == {sites[0].department_id}
    assert cache.changed_since(counter - 4) is None


@pytest.fixture
def statements(app):
    """The SQL statements run while the test runs, from the moment it asks for this."""
    seen = []

    def spy(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", spy)
    yield seen
    event.remove(db.engine, "before_cursor_execute", spy)


def test_a_page_of_sheets_reads_the_log_once(app, world, statements):
    from inspector.periods import parse_period
    from inspector.scores.history import sheet_with_history

    sites, checklist = world
    year = parse_period("2026")
    sheet_with_history(year, False, app.config)  # twelve years kept from here
    factories.new_inspection(sites[0], 10.0, WHEN, checklist=checklist)
    db.session.commit()
    statements.clear()
    with app.test_request_context("/scores/?period=2026"):  # a page: the counter is read once
        history = sheet_with_history(year, False, app.config)
    assert sum("department_change" in s for s in statements) == 1
    row = next(r for r in history["departments"] if r["department"] == "a")
    assert row["percent"] == 35.0 and row["trend"][-1] == 35.0


def names(app):
    sheet = closing.score_sheet(*YEAR, False, app.config)
    return {row["department"]: row["name"] for row in sheet["departments"]}


def test_a_change_not_yet_flushed_is_seen_and_never_shared(app, world):
    sites, checklist = world
    names(app)  # cached at the current step
    db.session.rollback()
    department = db.session.get(Department, sites[0].department_id)
    department.name = "Pending"  # not flushed, and the counter not read yet
    assert names(app)["a"] == "Pending"  # reading the counter flushed it: this is its own
    db.session.rollback()
    assert names(app)["a"] != "Pending"  # and it was not cached for anyone else


def test_a_savepoint_released_counts_nothing_until_the_commit(app, world, reads):
    sites, checklist = world
    assert percents(app)["a"] == 60.0
    factories.new_inspection(sites[0], 0.0, WHEN, checklist=checklist)
    with db.session.begin_nested():
        pass  # released, as close_period's is: before_commit runs for it too
    # This transaction sees its own change, and its rows are not kept...
    assert {r["department"]: r["percent"] for r in sheet_here(app)}["a"] == 30.0
    db.session.rollback()
    # ...so another writer's commit of the same step number leaves nothing wrong behind.
    factories.new_inspection(sites[1], 70.0, WHEN, checklist=checklist)
    db.session.commit()
    assert percents(app) == {"a": 60.0, "b": 70.0, "c": 80.0}


def test_a_savepoint_released_inside_one_rolled_back_keeps_the_change(app, world):
    sites, checklist = world
    assert percents(app)["a"] == 60.0
    factories.new_inspection(sites[0], 100.0, WHEN, checklist=checklist)
    db.session.flush()
    outer = db.session.begin_nested()
    with db.session.begin_nested():
        pass
    outer.rollback()
    db.session.commit()
    assert percents(app)["a"] == 80.0


def test_a_step_missing_from_the_log_reads_everything(app, world, reads):
    """A server of older code moves the counter and logs nothing (a rolling upgrade)."""
    sites, checklist = world
    percents(app)
    db.session.execute(
        update(DataVersion)
        .where(DataVersion.name == cache.AREA)
        .values(counter=DataVersion.counter + 1)
    )
    db.session.commit()
    percents(app)
    assert reads == [None, None]


def test_statements_on_departments_count_as_a_change_to_all(app, world, reads):
    sites, checklist = world
    percents(app)
    db.session.execute(update(Department).where(Department.code == "b").values(name="Bulk"))
    db.session.commit()
    assert {row["name"] for row in sheet(app)} >= {"Bulk"}
    assert reads == [None, None]


def sheet_here(app):
    """The sheet in this transaction, as it stands (no new transaction)."""
    return department_scores(*YEAR, False, app.config)["departments"]


def test_after_a_change_the_log_comes_with_the_counter(app, world, statements):
    """The server reads the steps it has not seen with the counter: bringing rows up to date
    then costs one statement more, the departments' own."""
    sites, checklist = world
    percents(app)
    factories.new_inspection(sites[0], 90.0, WHEN, checklist=checklist)
    db.session.commit()
    statements.clear()
    with app.app_context(), app.test_request_context():  # a request of its own
        assert percents(app)["a"] == 75.0
    assert len(statements) == 2
    assert "data_version" in statements[0] and "department_change" in statements[0]
    assert "department_change" not in statements[1]


def test_rows_older_than_what_the_server_has_seen_read_the_log_themselves(app, world, reads):
    sites, checklist = world
    percents(app)  # kept at this step
    app.extensions["inspector.step_log"].__init__()  # as if this server had just started
    factories.new_inspection(sites[1], 90.0, WHEN, checklist=checklist)
    db.session.commit()
    assert percents(app)["b"] == 80.0
    assert reads == [None, {sites[1].department_id}]


def closed(app):
    db.session.rollback()
    return closing.score_sheet(*YEAR, False, app.config)["closed"]


def test_the_close_in_force_is_kept_until_a_step_changes_a_close(app, world, statements):
    from inspector.models import ClosedPeriod, User
    from inspector.periods import parse_period

    sites, checklist = world
    assert closed(app) is False
    factories.new_inspection(sites[0], 90.0, WHEN, checklist=checklist)
    db.session.commit()
    statements.clear()
    assert closed(app) is False
    assert not any("closed_period" in s for s in statements)  # kept: no close changed
    supervisor = factories.new_user(role="supervisor")
    db.session.commit()
    closing.close_period(
        db.session.get(User, supervisor.id), parse_period("2026"), app.config, YEAR[0], early=True
    )
    db.session.commit()
    assert closed(app) is True
    close = db.session.scalar(select(ClosedPeriod))
    close.reopened_at = WHEN
    db.session.commit()
    assert closed(app) is False
    db.session.execute(update(ClosedPeriod).values(reopened_at=None))  # a statement counts too
    db.session.commit()
    assert closed(app) is True


def insert_close(supervisor_id):
    """A close of the year written as raw SQL (no hook of this code sees it)."""
    db.session.execute(
        text(
            "INSERT INTO closed_period (kind, first, last, closed_by_id, closed_at, snapshot) "
            "VALUES ('year', :first, :last, :by, :at, :snapshot)"
        ),
        {
            "first": YEAR[0],
            "last": YEAR[1],
            "by": supervisor_id,
            "at": WHEN.replace(tzinfo=None),
            "snapshot": '{"provisional": {"departments": []}, "final": {"departments": []}}',
        },
    )


def test_a_close_made_by_a_server_of_older_code_is_seen(app, world):
    """During a rolling upgrade a server of the release before logs a close as a step that
    touched no department (-1): without NO_CLOSE, such a step may have changed a close."""
    supervisor = factories.new_user(role="supervisor")
    db.session.commit()
    assert closed(app) is False  # kept at this step
    insert_close(supervisor.id)
    connection = db.session.connection()
    step = connection.execute(
        update(DataVersion)
        .where(DataVersion.name == cache.AREA)
        .values(counter=DataVersion.counter + 1)
        .returning(DataVersion.counter)
    ).scalar_one()
    connection.execute(
        insert(DepartmentChange), [{"version": step, "department_id": cache.NO_DEPARTMENT}]
    )
    db.session.commit()
    assert closed(app) is True


def test_a_close_loaded_by_raw_sql_is_seen_after_a_rebuild(app, world, runner):
    supervisor = factories.new_user(role="supervisor")
    db.session.commit()
    assert closed(app) is False
    insert_close(supervisor.id)
    db.session.commit()
    assert runner.invoke(args=["rebuild-score-totals"]).exit_code == 0
    assert closed(app) is True


def test_a_close_not_yet_flushed_is_never_shared(app, world):
    """The counter already read, a close added and not flushed: this transaction sees its
    close, and nobody else ever does once it is rolled back, at this step or later ones."""
    from inspector.models import ClosedPeriod

    sites, checklist = world
    supervisor = factories.new_user(role="supervisor")
    db.session.commit()
    closing.score_sheet(*YEAR, False, app.config)  # the counter is read for this transaction
    db.session.add(
        ClosedPeriod(
            kind="year",
            first=YEAR[0],
            last=YEAR[1],
            closed_by_id=supervisor.id,
            snapshot={"provisional": {"departments": []}, "final": {"departments": []}},
        )
    )
    assert closing.closed_snapshot(*YEAR) is not None  # its own
    db.session.rollback()
    assert closing.closed_snapshot(*YEAR) is None
    factories.new_inspection(sites[0], 10.0, WHEN, checklist=checklist)
    db.session.commit()
    assert closed(app) is False


def test_a_step_that_rolls_back_after_counting_teaches_the_server_nothing(app, world):
    """Something run after the counter moved and before the commit (another before_commit
    listener) reads the counter: it sees its own step, which then rolls back. Another change
    commits under the same step number: the server must not think that step was the first."""
    sites, checklist = world
    assert percents(app) == {"a": 60.0, "b": 70.0, "c": 80.0}  # kept at step N
    db.session.rollback()  # a new transaction, which has not read the counter yet
    factories.new_inspection(sites[0], 0.0, WHEN, checklist=checklist)
    cache.bump_version(db.session())  # step N + 1, naming department a, not committed
    cache.current_version()
    db.session.rollback()
    factories.new_inspection(sites[1], 100.0, WHEN, checklist=checklist)
    db.session.commit()  # step N + 1 again, naming department b
    assert percents(app) == {"a": 60.0, "b": 85.0, "c": 80.0}


def test_a_commit_with_a_savepoint_left_open_is_still_counted(app, world):
    """SQLAlchemy runs before_commit while the open savepoint is still the current
    transaction, as when a savepoint is released: the counter is moved after the commit."""
    sites, checklist = world
    assert percents(app)["a"] == 60.0
    db.session.rollback()
    with db.session.begin():
        db.session.begin_nested()  # never closed
        factories.new_inspection(sites[0], 100.0, WHEN, checklist=checklist)
    assert percents(app) == {"a": 80.0, "b": 70.0, "c": 80.0}


def test_an_api_get_reads_the_sheet_without_a_transaction(app, world, api, statements):
    """A read-only request that has begun no transaction reads the counter and the changed
    departments as statements of their own on SQLite (on PostgreSQL a lone read is the
    session's, inspector.database.one_statement); its answer is still the database's now."""
    from flask import request_started

    sites, checklist = world
    api.as_role("supervisor")
    url = "/api/v1/scores?from=2026-01-01&to=2026-12-31"
    first = api.get(url).json
    factories.new_inspection(sites[0], 90.0, WHEN, checklist=checklist)
    db.session.commit()
    begun = []

    def spy(session, transaction, connection):
        begun.append(session)

    def watch(sender, **extra):
        event.listen(db.session(), "after_begin", spy)

    request_started.connect(watch, app)
    try:
        statements.clear()
        second = api.get(url).json
    finally:
        request_started.disconnect(watch, app)
    assert len(begun) == (db.engine.dialect.name != "sqlite")  # none on SQLite
    assert len(statements) == 3  # the token, the counter with the log, department a's row
    before = {row["department"]: row["percent"] for row in first["departments"]}
    after = {row["department"]: row["percent"] for row in second["departments"]}
    assert before == {"a": 60.0, "b": 70.0, "c": 80.0} and after["a"] == 75.0
    assert [(row["department"], row["rank"]) for row in second["departments"]] == [
        ("c", 1),
        ("a", 2),
        ("b", 3),
    ]


def test_the_api_json_is_written_once_per_step_and_follows_every_change(app, world, api):
    sites, checklist = world
    api.as_role("supervisor")
    url = "/api/v1/scores?from=2026-01-01&to=2026-12-31"
    body = api.get(url).data
    assert api.get(url).data is not None and api.get(url).data == body
    written = []
    original = app.json.response

    def counting(*args, **kwargs):
        written.append(1)
        return original(*args, **kwargs)

    app.json.response = counting
    try:
        assert api.get(url).data == body and not written  # kept: not written again
        factories.new_inspection(sites[2], 0.0, WHEN, checklist=checklist)
        db.session.commit()
        changed = api.get(url)
    finally:
        del app.json.response
    assert len(written) == 1
    app.config["SCORE_CACHE"] = False
    assert changed.data == api.get(url).data  # as computed from nothing
    assert changed.json["departments"][-1] == {**changed.json["departments"][-1], "percent": 40.0}


def test_outside_a_request_a_counter_read_alone_is_read_again_each_time(app, world):
    """Nothing marks where such a unit of work (a script, a test) ends: a rollback there, with
    no transaction open, does nothing, so a counter kept from before it would be stale."""
    sites, checklist = world
    assert percents(app)["a"] == 60.0
    other = create_app_like(app)
    with other.app_context():
        site = db.session.merge(sites[0])
        factories.new_inspection(site, 100.0, WHEN, checklist=db.session.merge(checklist))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    assert percents(app)["a"] == 80.0


def create_app_like(app):
    """Another server on the same database: a cache and a step log of its own."""
    from inspector import create_app
    from tests.conftest import TEST_CONFIG

    return create_app({**TEST_CONFIG, "DATABASE_URL": app.config["DATABASE_URL"]})

"""Score totals kept as running sums, in the same transaction as every change they follow.

What a counted inspection adds to the score sheet (per department, local day and status: one
inspection, its percent in tenths, a failed critical item) and to the hot spots (per
department, day and item: answered, failed) lives in `department_total` and `item_total`,
each on three spans: the day, its month and its year. A sheet for any days first..last sums
whole years, then whole months, then single days (`ranges`): a year is one row per
department and status, whatever the number of inspections.

Nothing that writes inspections has to know: a session hook does it for every flush.
- before_flush finds the inspections the flush may change (new, changed or deleted
  inspections, their answers, answers moved between inspections) and reads what they
  contributed until now from the database (locking their rows on PostgreSQL, so a concurrent
  writer cannot slip a change between this read and the write);
- after_flush reads what they contribute now, from the database again, and applies the
  difference as upserts (`INSERT ... ON CONFLICT DO UPDATE`, the same on SQLite and
  PostgreSQL), in key order so two writers never deadlock on them.
Reading both states from the database with the same query makes the delta exact whatever
the write did in memory (rewritten answers, delete-orphan cascades, a changed department or
checklist link). Bulk UPDATE/DELETE statements on inspections or answers run through the
session (ORM or Core) are caught by do_orm_execute and handled the same way. Only raw SQL
text and bulk INSERT statements (nothing in the product uses them) bypass the hook:
`flask rebuild-score-totals` rebuilds everything from scratch.

Local days are those of the TIMEZONE setting; after changing it, rebuild.
"""

import functools
from collections import defaultdict
from datetime import UTC, date, timedelta

from flask import current_app
from sqlalchemy import (
    Date,
    DateTime,
    Integer,
    String,
    and_,
    bindparam,
    case,
    column,
    event,
    func,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from inspector.models import DepartmentTotal, Inspection, InspectionStatus, ItemTotal, Response
from inspector.periods import local_date, month_end
from inspector.scores.cache import changed_table, identity, loaded, touch_departments

COUNTED = (InspectionStatus.SUBMITTED.value, InspectionStatus.APPROVED.value)
INSPECTION_FIELDS = ("status", "submitted_at", "department_id", "department", "percent")
INSPECTION_FIELDS += ("critical_failed", "responses")
RESPONSE_FIELDS = ("inspection_id", "inspection", "item_id", "item", "possible", "failed")
PENDING = "inspector.score_totals_pending"
DEPARTMENT_SUMS = ("inspections", "tenths", "scored", "critical")
ITEM_SUMS = ("checked", "failures")

inspection_table = Inspection.__table__
response_table = Response.__table__


# --- reading -------------------------------------------------------------------------------


def ranges(first: date, last: date):
    """[(span, from, to)]: the fewest total rows that cover local days first..last exactly.

    Whole years, then whole months, then single days; each span's rows form at most two
    runs (before and after the longer spans), returned as inclusive ranges of `day`.
    """
    runs = []
    day = first
    while day <= last:
        if day.month == 1 and day.day == 1 and date(day.year, 12, 31) <= last:
            span, following = "year", date(day.year + 1, 1, 1)
        elif day.day == 1 and month_end(day.year, day.month) <= last:
            span, following = "month", month_end(day.year, day.month) + timedelta(days=1)
        else:
            span, following = "day", day + timedelta(days=1)
        if runs and runs[-1][0] == span and runs[-1][3] == day:
            runs[-1] = (span, runs[-1][1], day, following)
        else:
            runs.append((span, day, day, following))
        day = following
    return [(span, start, end) for span, start, end, _following in runs]


def range_parameters(first, last):
    """(shape, parameters): ranges(first, last) as a statement's shape and its bound values.

    Statements are built once per shape (a year is one run of one row, a month too, a week
    one or two runs of days), then run with the parameters: building and keying a statement
    costs more than running it. A run of one row is matched with `=`, so the database reads
    it in key order and groups without sorting.
    """
    shape, parameters = [], {}
    for number, (span, start, end) in enumerate(ranges(first, last)):
        shape.append((span, start == end))
        parameters[f"from_{number}"], parameters[f"to_{number}"] = start, end
    return tuple(shape), parameters


def covering_shape(model, shape):
    def days(n, single):
        start = bindparam(f"from_{n}", type_=Date)
        return (
            model.day == start
            if single
            else model.day.between(start, bindparam(f"to_{n}", type_=Date))
        )

    return or_(
        *(and_(model.span == span, days(n, single)) for n, (span, single) in enumerate(shape))
    )


@functools.cache
def department_sums(shape, final, departments=None):
    """A subquery per department_id: inspections, pending, tenths, scored, critical, over the
    days of range_parameters' `shape` (bound when run), of every department or those in the
    expanding bound parameter `departments`."""
    total = DepartmentTotal
    pending = case((total.status == InspectionStatus.SUBMITTED.value, total.inspections), else_=0)
    counted = func.sum(total.inspections)
    stmt = (
        select(
            total.department_id,
            counted.label("inspections"),
            func.sum(pending).label("pending"),
            func.sum(total.tenths).label("tenths"),
            func.sum(total.scored).label("scored"),
            func.sum(total.critical).label("critical"),
        )
        .where(covering_shape(total, shape))
        .group_by(total.department_id)
        .having(counted > 0)
    )
    if final:
        stmt = stmt.where(total.status == InspectionStatus.APPROVED.value)
    if departments is not None:
        stmt = stmt.where(total.department_id.in_(departments))
    return stmt.subquery("sums")


def item_sums(shape, one_department):
    """A subquery of (item_id, failures, checked) over the days of range_parameters' `shape`,
    for all departments or (`one_department`) the one bound as `department_id` when run."""
    stmt = (
        select(
            ItemTotal.item_id,
            func.sum(ItemTotal.failures).label("failures"),
            func.sum(ItemTotal.checked).label("checked"),
        )
        .where(covering_shape(ItemTotal, shape))
        .group_by(ItemTotal.item_id)
    )
    if one_department:
        stmt = stmt.where(ItemTotal.department_id == bindparam("department_id"))
    return stmt.subquery()


# --- what inspections contribute ------------------------------------------------------------


def spans_of(day):
    return (("day", day), ("month", day.replace(day=1)), ("year", date(day.year, 1, 1)))


def contributions(connection, ids, zone, lock=False):
    """What the inspections `ids` add to the totals as the database holds them now.

    Returns ({(span, day, department, status): [4 sums]}, {(span, day, department, item): [2]}).
    """
    departments = defaultdict(lambda: [0, 0, 0, 0])
    items = defaultdict(lambda: [0, 0])
    if not ids:
        return departments, items
    i = inspection_table.c
    stmt = select(i.id, i.department_id, i.submitted_at, i.status, i.percent, i.critical_failed)
    stmt = stmt.where(i.id.in_(sorted(ids))).order_by(i.id)
    if lock:
        stmt = stmt.with_for_update()  # PostgreSQL; SQLite's writer already holds its lock
    where = {}
    for ident, department, submitted_at, status, percent, critical in connection.execute(stmt):
        if status not in COUNTED or submitted_at is None:
            continue
        day = local_date(aware(submitted_at), zone)
        where[ident] = (day, department)
        for span, start in spans_of(day):
            sums = departments[(span, start, department, status)]
            sums[0] += 1
            if percent is not None:
                sums[1] += round(percent * 10)  # one decimal: whole tenths, exactly
                sums[2] += 1
            sums[3] += 1 if critical else 0
    if where:
        r = response_table.c
        answers = select(r.inspection_id, r.item_id, r.failed).where(
            r.inspection_id.in_(sorted(where)), r.possible.is_not(None)
        )
        for ident, item, failed in connection.execute(answers):
            day, department = where[ident]
            for span, start in spans_of(day):
                sums = items[(span, start, department, item)]
                sums[0] += 1
                sums[1] += 1 if failed else 0
    return departments, items


def aware(moment):
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def differences(old, new, names, key_names):
    rows = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        delta = [
            (after[n] if after else 0) - (before[n] if before else 0) for n in range(len(names))
        ]
        if any(delta):
            rows.append(
                dict(zip(key_names, key, strict=True)) | dict(zip(names, delta, strict=True))
            )
    return rows


def upsert(connection, model, keys, sums, rows):
    """Add `rows` (key columns and deltas) to the totals, creating missing rows."""
    if not rows:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(model.__table__)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: getattr(model.__table__.c, name) + stmt.excluded[name] for name in sums},
    )
    connection.execute(stmt, rows)


def apply(session, old, new):
    """Write new − old into the totals; note the departments whose sheet rows it changes."""
    connection = session.connection()
    department_keys = ("span", "day", "department_id", "status")
    item_keys = ("span", "day", "department_id", "item_id")
    rows = differences(old[0], new[0], DEPARTMENT_SUMS, department_keys)
    upsert(connection, DepartmentTotal, department_keys, DEPARTMENT_SUMS, rows)
    if rows:
        touch_departments(session, {row["department_id"] for row in rows})
    upsert(
        connection,
        ItemTotal,
        item_keys,
        ITEM_SUMS,
        differences(old[1], new[1], ITEM_SUMS, item_keys),
    )


# --- the session hooks ----------------------------------------------------------------------


def changed(obj, fields):
    attrs = obj.__class__.__mapper__.attrs
    state = obj._sa_instance_state
    return any(name in attrs and state.attrs[name].history.has_changes() for name in fields)


def zone():
    return current_app.config["TIMEZONE"]


def touched(session):
    """(new inspections, answers written, ids of stored inspections, ids of stored answers)
    that this flush may change in a way the totals see."""
    fresh, answers, known, moved = [], [], set(), []
    for obj in session.new:
        if isinstance(obj, Inspection):
            fresh.append(obj)
        elif isinstance(obj, Response):
            answers.append(obj)
    for obj in session.dirty:
        if isinstance(obj, Inspection) and changed(obj, INSPECTION_FIELDS):
            known.add(identity(obj))
        elif isinstance(obj, Response) and changed(obj, RESPONSE_FIELDS):
            answers.append(obj)
            moved.append(identity(obj))
    for obj in session.deleted:
        if isinstance(obj, Inspection):
            known.add(identity(obj))
        elif isinstance(obj, Response):
            moved.append(identity(obj))
    return fresh, answers, known, moved


def before_flush(session, flush_context, instances):
    """Note which inspections this flush may change and what they contribute until now."""
    session.info.pop(PENDING, None)
    fresh, answers, known, moved = touched(session)
    if not (fresh or known or answers or moved):
        return
    connection = session.connection()
    # The inspections the answers belong to, in memory and (for stored answers, which may be
    # moving to another inspection) as stored.
    known.update(loaded(answer, "inspection_id") for answer in answers)
    known.update(identity(parent) for answer in answers if (parent := loaded(answer, "inspection")))
    if moved:
        r = response_table.c
        known.update(connection.scalars(select(r.inspection_id).where(r.id.in_(moved)).distinct()))
    known.discard(None)
    old = contributions(connection, known, zone(), lock=True)
    session.info[PENDING] = (fresh, answers, known, old)


def after_flush(session, flush_context):
    """Apply what the flushed inspections contribute now minus what they did before."""
    pending = session.info.pop(PENDING, None)
    if pending is None:
        return
    fresh, answers, known, old = pending
    ids = set(known)
    ids.update(loaded(obj, "id") for obj in fresh)  # no identity key until the flush ends
    ids.update(loaded(answer, "inspection_id") for answer in answers)
    ids.discard(None)
    apply(session, old, contributions(session.connection(), ids, zone()))


def bulk_statement(state):
    """UPDATE or DELETE statements on inspections or answers: totals follow them too."""
    target = changed_table(state)
    if target == inspection_table.name:
        affected = select(inspection_table.c.id)
    elif target == response_table.name:
        affected = select(response_table.c.inspection_id)
    else:
        return None
    if state.statement.whereclause is not None:
        affected = affected.where(state.statement.whereclause)
    connection = state.session.connection()
    ids = set(connection.scalars(affected))
    ids.discard(None)
    old = contributions(connection, ids, zone(), lock=True)
    result = state.invoke_statement()
    apply(state.session, old, contributions(connection, ids, zone()))
    return result


def forget(session, previous_transaction=None):
    session.info.pop(PENDING, None)


def init_app(app):
    if not event.contains(Session, "before_flush", before_flush):
        event.listen(Session, "before_flush", before_flush)
        event.listen(Session, "after_flush", after_flush)
        event.listen(Session, "do_orm_execute", bulk_statement)
        event.listen(Session, "after_rollback", forget)


# --- rebuilding from scratch ----------------------------------------------------------------

# Plain table shapes, not the models: the migration that creates the totals uses this too.
BUILD = table(
    "score_total_build",
    column("inspection_id", Integer),
    column("department_id", Integer),
    column("day", Date),
)
STORED = table(
    "inspection",
    column("id", Integer),
    column("department_id", Integer),
    column("submitted_at", DateTime),
    column("status", String),
)
BUILD_DAYS = table(
    "score_total_build_day", column("day", Date), column("month", Date), column("year", Date)
)


def rebuild(connection, zone_name, batch=20_000):
    """Recompute both totals tables from the inspections and answers (same transaction).

    Each counted inspection's local day is worked out in Python (time zones are not portable
    SQL) into a temporary table; the rest is three INSERT ... SELECTs per table.
    """
    connection.execute(text("DELETE FROM department_total"))
    connection.execute(text("DELETE FROM item_total"))
    connection.execute(
        text(
            "CREATE TEMPORARY TABLE score_total_build (inspection_id INTEGER PRIMARY KEY, "
            "department_id INTEGER NOT NULL, day DATE NOT NULL)"
        )
    )
    connection.execute(
        text(
            "CREATE TEMPORARY TABLE score_total_build_day (day DATE PRIMARY KEY, "
            "month DATE NOT NULL, year DATE NOT NULL)"
        )
    )
    i = STORED.c
    rows = connection.execute(
        select(i.id, i.department_id, i.submitted_at).where(
            i.status.in_(COUNTED), i.submitted_at.is_not(None)
        )
    )
    days = set()
    while chunk := rows.fetchmany(batch):
        values = []
        for ident, department, submitted_at in chunk:
            day = local_date(aware(submitted_at), zone_name)
            days.add(day)
            values.append({"inspection_id": ident, "department_id": department, "day": day})
        connection.execute(BUILD.insert(), values)
    if days:
        connection.execute(
            BUILD_DAYS.insert(),
            [{"day": d, "month": d.replace(day=1), "year": date(d.year, 1, 1)} for d in days],
        )
    connection.execute(
        text(
            "INSERT INTO department_total "
            "(span, day, department_id, status, inspections, tenths, scored, critical) "
            "SELECT 'day', b.day, b.department_id, i.status, COUNT(*), "
            "COALESCE(SUM(CAST(ROUND(i.percent * 10) AS INTEGER)), 0), COUNT(i.percent), "
            "SUM(CASE WHEN i.critical_failed THEN 1 ELSE 0 END) "
            "FROM score_total_build b JOIN inspection i ON i.id = b.inspection_id "
            "GROUP BY b.day, b.department_id, i.status"
        )
    )
    connection.execute(
        text(
            "INSERT INTO item_total (span, day, department_id, item_id, checked, failures) "
            "SELECT 'day', b.day, b.department_id, r.item_id, COUNT(*), "
            "SUM(CASE WHEN r.failed THEN 1 ELSE 0 END) "
            "FROM score_total_build b JOIN response r ON r.inspection_id = b.inspection_id "
            "WHERE r.possible IS NOT NULL "
            "GROUP BY b.day, b.department_id, r.item_id"
        )
    )
    for span in ("month", "year"):
        connection.execute(
            # `span` is one of this loop's two literals, never input (hence the nosec).
            text(
                "INSERT INTO department_total "  # nosec B608
                "(span, day, department_id, status, inspections, tenths, scored, critical) "
                f"SELECT '{span}', d.{span}, t.department_id, t.status, SUM(t.inspections), "
                "SUM(t.tenths), SUM(t.scored), SUM(t.critical) "
                "FROM department_total t JOIN score_total_build_day d ON d.day = t.day "
                f"WHERE t.span = 'day' GROUP BY d.{span}, t.department_id, t.status"
            )
        )
        connection.execute(
            text(
                "INSERT INTO item_total (span, day, department_id, item_id, checked, failures) "  # nosec B608
                f"SELECT '{span}', d.{span}, t.department_id, t.item_id, SUM(t.checked), "
                "SUM(t.failures) "
                "FROM item_total t JOIN score_total_build_day d ON d.day = t.day "
                f"WHERE t.span = 'day' GROUP BY d.{span}, t.department_id, t.item_id"
            )
        )
    connection.execute(text("DROP TABLE score_total_build"))
    connection.execute(text("DROP TABLE score_total_build_day"))

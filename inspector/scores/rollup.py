"""Department roll-ups exactly as the contract's scoring rules say, from stored scores.

One query over the running totals per period, or after a change only over the departments it
touched (inspector.scores.kept); Python only ranks the resulting rows.
"""

import functools

from sqlalchemy import bindparam, or_, select

from inspector import scoring
from inspector.database import lone_read
from inspector.extensions import db
from inspector.models import Department, Inspection, InspectionStatus
from inspector.periods import day_bounds
from inspector.scores import kept, totals


def counted_statuses(final):
    if final:
        return [InspectionStatus.APPROVED]
    return [InspectionStatus.SUBMITTED, InspectionStatus.APPROVED]


def counted(first, last, final, zone):
    """The conditions that make an inspection count for local days first..last."""
    start, end = day_bounds(first, last, zone)
    return (
        Inspection.submitted_at >= start,
        Inspection.submitted_at < end,
        Inspection.status.in_(counted_statuses(final)),
    )


def department_scores(first, last, final, settings):
    """The contract's score sheet for local days first..last: one row per department."""
    shape, parameters = totals.range_parameters(first, last)
    bands = scoring.grade_bands(settings["GRADE_THRESHOLDS"])
    # Flushed first, as session.execute would: a caller's pending changes count (and make
    # its rows its own, not kept ones).
    db.session.flush()

    def read(departments):
        # Plain rows through the session's connection: the ORM's row loading cost a quarter
        # of the query's time for 200 departments, and these are columns, not entities.
        only = departments is not None
        values = {**parameters, "departments": list(departments)} if only else parameters
        with lone_read() as connection:
            result = connection.execute(sheet_query(shape, final, only), values)
            return {row[0]: row_for(row, bands) for row in result}

    key = ("department_scores", shape, *parameters.values(), final, bands)
    found = kept.rows(key, read)  # shared: copied below, never changed
    rows = scoring.ranked(found.values())
    return {"from": first.isoformat(), "to": last.isoformat(), "departments": rows}


@functools.cache
def sheet_query(shape, final, only=False):
    """Every department with what it counted over the days of `shape` (totals.range_parameters),
    or (`only`) the departments whose ids are bound as `departments`.

    One query, built once per shape: the running totals (inspector.scores.totals) summed per
    department, joined to the departments, the inactive ones kept only if they count here.
    Percents have one decimal; summing them as whole tenths keeps the mean exact. The totals
    are kept per local day of the TIMEZONE setting by the write itself, so this reads a few
    hundred rows for any period instead of every inspection in it (docs/benchmarks.md).
    """
    departments = bindparam("departments", expanding=True) if only else None
    sums = totals.department_sums(shape, final, departments)
    stmt = (
        select(
            Department.id,
            Department.code,
            Department.name,
            sums.c.inspections,
            sums.c.pending,
            sums.c.tenths,
            sums.c.scored,
            sums.c.critical,
        )
        .outerjoin(sums, sums.c.department_id == Department.id)
        .where(or_(Department.active, sums.c.department_id.is_not(None)))
        .order_by(Department.code)
    )
    return stmt.where(Department.id.in_(departments)) if only else stmt


def row_for(department, bands):
    _id, code, name, count, pending, tenths, scored, critical = department
    percent = scoring.mean_of_tenths(tenths, scored) if scored else None
    vetoed = bool(critical)
    return {
        "department": code,
        "name": name,
        "inspections": count or 0,
        "pending": pending or 0,
        "percent": percent,
        "grade": scoring.banded(percent, vetoed, bands) if count else None,
        "rank": None,
        "critical_failures": critical or 0,
        "vetoed": vetoed,
    }

"""Department roll-ups exactly as the contract's scoring rules say, from stored scores.

One query over the running totals per period; Python only ranks the resulting rows.
"""

import functools

from sqlalchemy import or_, select

from inspector import scoring
from inspector.extensions import db
from inspector.models import Department, Inspection, InspectionStatus
from inspector.periods import day_bounds
from inspector.scores import totals


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
    # Plain rows through the session's connection: the ORM's row loading cost a quarter of
    # the query's time for 200 departments, and these are columns, not entities. Flushed
    # first, as session.execute would: a caller's pending changes count.
    db.session.flush()
    result = db.session.connection().execute(sheet_query(shape, final), parameters)
    rows = [row_for(d, bands) for d in result.all()]
    for row, rank in zip(
        rows, scoring.competition_ranks([r["percent"] for r in rows]), strict=True
    ):
        row["rank"] = rank
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["department"]))
    return {"from": first.isoformat(), "to": last.isoformat(), "departments": rows}


@functools.cache
def sheet_query(shape, final):
    """Every department with what it counted over the days of `shape` (totals.range_parameters).

    One query, built once per shape: the running totals (inspector.scores.totals) summed per
    department, joined to the departments, the inactive ones kept only if they count here.
    Percents have one decimal; summing them as whole tenths keeps the mean exact. The totals
    are kept per local day of the TIMEZONE setting by the write itself, so this reads a few
    hundred rows for any period instead of every inspection in it (docs/benchmarks.md).
    """
    sums = totals.department_sums(shape, final)
    return (
        select(
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


def row_for(department, bands):
    code, name, count, pending, tenths, scored, critical = department
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

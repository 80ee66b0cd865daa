"""Department roll-ups exactly as the contract's scoring rules say, from stored scores.

One query over the running totals per period; Python only ranks the resulting rows.
"""

from decimal import Decimal

from sqlalchemy import select

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


def aggregate(first, last, final, zone):
    """Per department id: (counted, pending, sum of percents in tenths, with a percent,
    critical failures), summed from the running totals (inspector.scores.totals).

    Percents have one decimal; summing them as whole tenths keeps the mean exact. The totals
    are kept per local day of `zone` (the TIMEZONE setting) by the write itself, so this reads
    a few hundred rows for any period instead of every inspection in it.
    """
    return totals.department_sums(db.session, first, last, final)


def department_scores(first, last, final, settings):
    """The contract's score sheet for local days first..last: one row per department."""
    totals = aggregate(first, last, final, settings["TIMEZONE"])
    # Plain rows, not entities: a sheet needs only these columns, and the web page builds
    # twelve sheets for its trend.
    # Every department read, the inactive ones kept only if they count here: an IN list of
    # hundreds of ids costs more to build than the few extra rows (docs/benchmarks.md).
    departments = [
        d
        for d in db.session.execute(
            select(Department.id, Department.code, Department.name, Department.active).order_by(
                Department.code
            )
        )
        if d.active or d.id in totals
    ]
    rows = [row_for(d, totals.get(d.id), settings["GRADE_THRESHOLDS"]) for d in departments]
    for row, rank in zip(
        rows, scoring.competition_ranks([r["percent"] for r in rows]), strict=True
    ):
        row["rank"] = rank
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["department"]))
    return {"from": first.isoformat(), "to": last.isoformat(), "departments": rows}


def row_for(department, totals, thresholds):
    count, pending, tenths, with_percent, critical = totals or (0, 0, None, 0, 0)
    percent = None
    if with_percent:
        percent = scoring.round_1(Decimal(int(tenths)) / with_percent / 10)
    vetoed = bool(critical)
    return {
        "department": department.code,
        "name": department.name,
        "inspections": count,
        "pending": int(pending or 0),
        "percent": percent,
        "grade": scoring.grade(percent, vetoed, thresholds) if count else None,
        "rank": None,
        "critical_failures": int(critical or 0),
        "vetoed": vetoed,
    }

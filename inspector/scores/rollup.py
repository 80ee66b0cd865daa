"""Department roll-ups exactly as the contract's scoring rules say, from stored scores.

One indexed aggregate query per period; Python only ranks the resulting rows.
"""

from decimal import Decimal

from sqlalchemy import case, func, or_, select

from inspector import scoring
from inspector.extensions import db
from inspector.models import Department, Inspection, InspectionStatus
from inspector.periods import day_bounds


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
    """Per department id: counts, the sum of percents in tenths, critical failures."""
    pending = case((Inspection.status == InspectionStatus.SUBMITTED, 1), else_=0)
    critical = case((Inspection.critical_failed, 1), else_=0)
    # Driven from the (small) department table, each department's inspections are one range
    # seek in ix_inspection_dept_submitted_score, which also holds every column read here:
    # the work grows with the inspections in the period, not with all inspections ever, and
    # no table row or sort is needed. Grouping Inspection.department_id alone scans the
    # whole index for any period (docs/benchmarks.md, "Score-sheet roll-ups").
    stmt = (
        select(
            Department.id,
            func.count(),
            func.sum(pending),
            # Percents have one decimal; summing them as whole tenths keeps the mean exact.
            func.sum(func.round(Inspection.percent * 10)),
            func.count(Inspection.percent),
            func.sum(critical),
        )
        .join(Inspection, Inspection.department_id == Department.id)
        .where(*counted(first, last, final, zone))
        .group_by(Department.id)
    )
    return {row[0]: row[1:] for row in db.session.execute(stmt)}


def department_scores(first, last, final, settings):
    """The contract's score sheet for local days first..last: one row per department."""
    totals = aggregate(first, last, final, settings["TIMEZONE"])
    # Plain rows, not entities: a sheet needs only these columns, and the web page builds
    # twelve sheets for its trend.
    departments = db.session.execute(
        select(Department.id, Department.code, Department.name)
        .where(or_(Department.active, Department.id.in_(totals.keys())))
        .order_by(Department.code)
    ).all()
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

"""The year's evaluation: each indicator's evidence gathered from the records, then scored.

Counted inspections are those the score sheets count (submitted or approved, by submitted_at
in the deployment's time zone). An activity counts for its department and, when it belongs
to the whole unit (no department), for every department. Marks: the newest for the
department, else the newest for the whole unit.
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from inspector.extensions import db
from inspector.frameworks.arithmetic import (
    Evidence,
    Rule,
    evaluate,
    rounded,
    score_indicator,
)
from inspector.models import (
    Activity,
    ActivityKind,
    Checklist,
    ChecklistItem,
    FrameworkMark,
    Inspection,
    Method,
    Response,
)
from inspector.scores.rollup import counted


def rule_of(indicator):
    return Rule(
        indicator.code,
        indicator.title,
        str(indicator.method),
        indicator.points,
        indicator.target,
        indicator.veto,
        indicator.bonus,
    )


def linked_item_ids(indicator):
    """Every version's checklist items the indicator links (template code and item key)."""
    if not indicator.items:
        return []
    pairs = [(link["template"], link["item"]) for link in indicator.items]
    stmt = (
        select(ChecklistItem.id)
        .join(Checklist, Checklist.id == ChecklistItem.checklist_id)
        .where(or_(*[(Checklist.code == t) & (ChecklistItem.key == k) for t, k in pairs]))
    )
    return list(db.session.scalars(stmt))


def inspection_evidence(indicator, year, department, zone):
    ids = linked_item_ids(indicator)
    if not ids:
        return Evidence()
    stmt = (
        select(
            func.sum(Response.earned),
            func.sum(Response.possible),
            func.count(func.distinct(Inspection.id)),
        )
        .join(Inspection, Inspection.id == Response.inspection_id)
        .where(
            Response.item_id.in_(ids),
            Response.possible.is_not(None),
            *counted(date(year, 1, 1), date(year, 12, 31), False, zone),
        )
    )
    if department is not None:
        stmt = stmt.where(Inspection.department_id == department.id)
    earned, possible, count = db.session.execute(stmt).one()
    return Evidence(earned=earned or 0, possible=possible or 0, count=count)


def activities_of(indicator, year, department):
    """The query for the activities that count for `indicator` in `year`."""
    stmt = (
        select(Activity)
        .join(ActivityKind, ActivityKind.id == Activity.kind_id)
        .where(
            ActivityKind.code.in_(indicator.activity_kinds or []),
            Activity.date >= date(year, 1, 1),
            Activity.date <= date(year, 12, 31),
        )
    )
    if department is not None:
        stmt = stmt.where(
            or_(Activity.department_id.is_(None), Activity.department_id == department.id)
        )
    return stmt


def activity_count(indicator, year, department):
    if not indicator.activity_kinds:
        return 0
    stmt = activities_of(indicator, year, department).with_only_columns(func.count(Activity.id))
    return db.session.scalar(stmt)


def latest_mark(framework, indicator, year, department):
    stmt = (
        select(FrameworkMark)
        .where(
            FrameworkMark.framework_code == framework.code,
            FrameworkMark.indicator == indicator.code,
            FrameworkMark.year == year,
        )
        .order_by(FrameworkMark.marked_at.desc(), FrameworkMark.id.desc())
        .limit(1)
    )
    if department is not None:
        mark = db.session.scalar(stmt.where(FrameworkMark.department_id == department.id))
        if mark is not None:
            return mark
    return db.session.scalar(stmt.where(FrameworkMark.department_id.is_(None)))


def evidence_for(framework, indicator, year, department, zone):
    """What was found for one indicator, by its method."""
    if indicator.veto or indicator.method in (Method.MATERIAL, Method.SURVEY):
        mark = latest_mark(framework, indicator, year, department)
        records = activity_count(indicator, year, department)
        return Evidence(
            mark=mark.mark if mark else None, records=records, count=records + bool(mark)
        )
    if indicator.method == Method.ACTIVITY:
        records = activity_count(indicator, year, department)
        return Evidence(records=records, count=records)
    return inspection_evidence(indicator, year, department, zone)


def evaluation(framework, year, department, zone):
    """The framework's evaluation of `department` (None: the whole unit) over `year`."""
    outcomes = [
        score_indicator(rule_of(i), evidence_for(framework, i, year, department, zone))
        for i in framework.indicators
    ]
    return evaluate(outcomes, framework.bonus_cap)


GAPS = {
    "records": lambda n, target: _l("%(n)d of %(target)s records", n=n, target=target or "—"),
    "rate": lambda earned, possible: _l(
        "%(percent)s%% of the linked items' points", percent=f"{100 * earned / possible:.1f}"
    ),
    "no_inspection": lambda: _l("no counted inspection of the linked items"),
    "not_marked": lambda: _l("not marked yet"),
    "marked": lambda mark, points: _l("marked %(mark)s of %(points)s", mark=f"{mark:g}",
                                      points=f"{points:g}"),
    "veto_failed": lambda: _l("veto condition failed"),
}  # fmt: skip


def gap_text(gap):
    return str(GAPS[gap[0]](*gap[1:])) if gap else None


def evaluation_json(framework, year, department, result):
    flags = {i.code: i for i in framework.indicators}
    rows = []
    for outcome in result.indicators:
        row = {
            "code": outcome.code,
            "title": outcome.title,
            "method": outcome.method,
            "points": outcome.points,
            "earned": rounded(outcome.earned),
            "evidence": outcome.evidence,
            "veto": flags[outcome.code].veto,
            "bonus": outcome.bonus,
        }
        if outcome.gap:
            row["gap"] = gap_text(outcome.gap)
        rows.append(row)
    return {
        "framework": framework.id,
        "year": year,
        "department": department.code if department else None,
        "total": result.total,
        "possible": result.possible,
        "bonus": result.bonus,
        "bonus_cap": framework.bonus_cap,
        "vetoed": result.vetoed,
        "indicators": rows,
    }

"""Framework versions and reviewers' marks: saving them, checked against what they name."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from inspector import audit
from inspector.errors import ValidationError
from inspector.extensions import db
from inspector.frameworks.closing import refuse_if_closed
from inspector.models import (
    ActivityKind,
    Checklist,
    ChecklistItem,
    Department,
    Framework,
    FrameworkMark,
    Indicator,
    Method,
)

MARKED = (Method.MATERIAL, Method.SURVEY)


def check_indicators(indicators):
    """Faults of a framework's indicators, by dotted field name (after the JSON Schema)."""
    faults, seen = {}, set()
    kinds = set(db.session.scalars(select(ActivityKind.code)))
    for n, indicator in enumerate(indicators):
        where = f"indicators.{n}"
        if indicator["code"] in seen:
            faults[f"{where}.code"] = _l("Used by another indicator.")
        seen.add(indicator["code"])
        if indicator.get("veto") and indicator.get("bonus"):
            faults[f"{where}.bonus"] = _l("A veto indicator has no points to add.")
        if not indicator.get("veto") and indicator.get("points") is None:
            faults[f"{where}.points"] = _l("Give the points (only a veto indicator has none).")
        for m, code in enumerate(indicator.get("activity_kinds", [])):
            if code not in kinds:
                faults[f"{where}.activity_kinds.{m}"] = _l("No such activity kind.")
        for m, link in enumerate(indicator.get("items", [])):
            if not item_exists(link["template"], link["item"]):
                faults[f"{where}.items.{m}"] = _l("No such checklist item.")
    return faults


def item_exists(template, key):
    return db.session.scalar(
        select(ChecklistItem.id)
        .join(Checklist, Checklist.id == ChecklistItem.checklist_id)
        .where(Checklist.code == template, ChecklistItem.key == key)
        .limit(1)
    )


def save_framework(actor, document):
    """Store a framework document as the newest version of its code (the caller commits)."""
    faults = check_indicators(document["indicators"])
    if faults:
        raise ValidationError(faults, "The framework has faults.")
    latest = db.session.scalar(
        select(func.max(Framework.version)).where(Framework.code == document["code"])
    )
    db.session.execute(
        update(Framework).where(Framework.code == document["code"]).values(is_current=False)
    )
    framework = Framework(
        code=document["code"],
        version=(latest or 0) + 1,
        name=document["name"].strip(),
        year=document["year"],
        bonus_cap=document.get("bonus_cap"),
        created_by_id=actor.id if actor else None,
    )
    for position, item in enumerate(document["indicators"]):
        framework.indicators.append(indicator_row(position, item))
    db.session.add(framework)
    audit.record(
        actor, "framework.create", framework, code=framework.code, version=framework.version
    )
    return framework


def indicator_row(position, item):
    veto = bool(item.get("veto"))
    return Indicator(
        position=position,
        code=item["code"],
        section=item.get("section", ""),
        title=item["title"].strip(),
        content=item.get("content", ""),
        criteria=item.get("criteria", ""),
        points=None if veto else item.get("points"),
        method=Method(item["method"]),
        target=item.get("target"),
        veto=veto,
        bonus=bool(item.get("bonus")),
        items=item.get("items", []),
        activity_kinds=item.get("activity_kinds", []),
    )


def framework_document(framework):
    """A framework version in the JSON import format (for export and editing)."""
    document = {"code": framework.code, "name": framework.name, "year": framework.year}
    if framework.bonus_cap is not None:
        document["bonus_cap"] = whole(framework.bonus_cap)
    document["indicators"] = [indicator_document(i) for i in framework.indicators]
    return document


def indicator_document(indicator):
    out = {"code": indicator.code, "title": indicator.title, "method": str(indicator.method)}
    if indicator.points is not None:
        out["points"] = whole(indicator.points)
    for name in ("section", "content", "criteria"):
        if getattr(indicator, name):
            out[name] = getattr(indicator, name)
    if indicator.items:
        out["items"] = indicator.items
    if indicator.activity_kinds:
        out["activity_kinds"] = indicator.activity_kinds
    if indicator.target:
        out["target"] = indicator.target
    if indicator.veto:
        out["veto"] = True
    if indicator.bonus:
        out["bonus"] = True
    return out


def whole(value):
    return int(value) if value is not None and float(value).is_integer() else value


def add_mark(actor, framework, body):
    """Record a reviewer's mark on a material, survey or veto indicator (the caller commits)."""
    indicator = next((i for i in framework.indicators if i.code == body["indicator"]), None)
    if indicator is None:
        raise ValidationError({"indicator": _l("No such indicator in this framework.")})
    department = None
    if body.get("department"):
        department = db.session.scalar(
            select(Department).where(Department.code == body["department"])
        )
        if department is None:
            raise ValidationError({"department": _l("No such department.")})
    check_mark(indicator, body["mark"])
    refuse_if_closed(framework, body.get("year") or framework.year)
    mark = FrameworkMark(
        framework_code=framework.code,
        indicator=indicator.code,
        department=department,
        year=body.get("year") or framework.year,
        mark=body["mark"],
        note=body.get("note", "").strip(),
        marked_by_id=actor.id,
    )
    db.session.add(mark)
    audit.record(actor, "framework.mark", mark, indicator=indicator.code, mark=body["mark"])
    return mark


def check_mark(indicator, value):
    if indicator.veto:
        if value not in (0, 1):
            raise ValidationError({"mark": _l("A veto indicator is marked 1 (passed) or 0.")})
    elif indicator.method not in MARKED:
        raise ValidationError(
            {"indicator": _l("This indicator's points are counted from the records, not marked.")}
        )
    elif not 0 <= value <= (indicator.points or 0):
        raise ValidationError(
            {"mark": _l("A mark from 0 to %(points)s.", points=f"{indicator.points:g}")}
        )

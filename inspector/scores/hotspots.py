"""Hot spots: the checklist items that fail most, with the photos that show them.

One row per item of a checklist: the same key in every version of a checklist code is one item
(keys stay with their item across versions), named by its newest text and its checklist's
newest name. Order, as the screen states it: failure rate (failures / times checked) first,
then the number of failures, then checklist and key.
"""

from sqlalchemy import Float, cast, func, select, tuple_

from inspector.extensions import db
from inspector.inspections.permissions import visible_to
from inspector.models import Checklist, ChecklistItem, Inspection, Response
from inspector.scores import totals
from inspector.scores.cache import memoize
from inspector.scores.rollup import counted


def hot_spots(first, last, settings, department=None, limit=20):
    """Items failed in counted inspections, most failures first, with how often checked.

    Cached until the data changes (inspector.scores.cache): do not modify the answer.
    """
    department_id = department.id if department is not None else None
    return memoize(
        ("hot_spots", first, last, department_id, limit),
        lambda: compute_hot_spots(first, last, settings["TIMEZONE"], department_id, limit),
    )


def compute_hot_spots(first, last, zone, department_id, limit):
    # Per item id from the running totals (inspector.scores.totals: kept per local day of
    # `zone` by every write), then per checklist code and key: the items are resolved at read
    # time, so a re-linked or re-keyed item counts where it belongs now.
    shape, parameters = totals.range_parameters(first, last)
    per_item = totals.item_sums(shape, department_id is not None)
    failures = func.sum(per_item.c.failures).label("failures")
    checked = func.sum(per_item.c.checked)
    stmt = (
        select(Checklist.code, ChecklistItem.key, failures, checked)
        .join_from(per_item, ChecklistItem, per_item.c.item_id == ChecklistItem.id)
        .join(Checklist, ChecklistItem.checklist_id == Checklist.id)
        .group_by(Checklist.code, ChecklistItem.key)
        .having(failures > 0)
        .order_by(
            (cast(failures, Float) / cast(checked, Float)).desc(),
            failures.desc(),
            Checklist.code,
            ChecklistItem.key,
        )
        .limit(limit)
    )
    rows = db.session.execute(stmt, {**parameters, "department_id": department_id}).all()
    names = newest_names({(code, key) for code, key, _, _ in rows})
    return [
        {
            "checklist": code,
            "checklist_name": names[code, key][0],
            "item": key,
            "text": names[code, key][1],
            "failures": int(failed),
            "checked": int(total),  # a sum of counts: NUMERIC on PostgreSQL
            "rate": round(100 * int(failed) / int(total), 1),
        }
        for code, key, failed, total in rows
    ]


def newest_names(pairs) -> dict:
    """(checklist name, item text) of the newest version holding each (code, key)."""
    if not pairs:
        return {}
    stmt = (
        select(Checklist.code, ChecklistItem.key, Checklist.name, ChecklistItem.text)
        .join(ChecklistItem, ChecklistItem.checklist_id == Checklist.id)
        .where(tuple_(Checklist.code, ChecklistItem.key).in_(sorted(pairs)))
        .order_by(Checklist.version)
    )
    # Ordered by version, so the newest version's names are the ones left in the dict.
    return {(code, key): (name, text) for code, key, name, text in db.session.execute(stmt)}


def failed_responses(user, checklist_code, item_key, first, last, settings, department=None):
    """The failed answers behind one hot spot that `user` may see, newest first."""
    stmt = (
        visible_to(user, select(Response))
        .join(Inspection, Response.inspection_id == Inspection.id)
        .join(ChecklistItem, Response.item_id == ChecklistItem.id)
        .join(Checklist, ChecklistItem.checklist_id == Checklist.id)
        .where(
            *counted(first, last, False, settings["TIMEZONE"]),
            Response.failed,
            Checklist.code == checklist_code,
            ChecklistItem.key == item_key,
        )
        .order_by(Inspection.submitted_at.desc())
        .limit(200)
    )
    if department is not None:
        stmt = stmt.where(Inspection.department_id == department.id)
    return db.session.scalars(stmt).all()

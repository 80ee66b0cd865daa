"""Hot spots: the checklist items that fail most, with the photos that show them."""

from sqlalchemy import func, select

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
    per_item = totals.item_sums(first, last, department_id)
    failures = func.sum(per_item.c.failures).label("failures")
    stmt = (
        select(
            Checklist.code,
            ChecklistItem.key,
            func.max(ChecklistItem.text),
            failures,
            func.sum(per_item.c.checked),
        )
        .join_from(per_item, ChecklistItem, per_item.c.item_id == ChecklistItem.id)
        .join(Checklist, ChecklistItem.checklist_id == Checklist.id)
        .group_by(Checklist.code, ChecklistItem.key)
        .having(failures > 0)
        .order_by(failures.desc(), Checklist.code, ChecklistItem.key)
        .limit(limit)
    )
    return [
        {
            "checklist": code,
            "item": key,
            "text": text,
            "failures": int(failed),
            "checked": int(total),  # a sum of counts: NUMERIC on PostgreSQL
            "rate": round(100 * int(failed) / int(total), 1),
        }
        for code, key, text, failed, total in db.session.execute(stmt)
    ]


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

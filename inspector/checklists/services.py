"""Checklist versions: saving a document as a new version, and reading one back."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from inspector import audit, scoring
from inspector.checklists.format import check_checklist, normalise
from inspector.checklists.lifecycle import visible
from inspector.errors import ConflictError, ValidationError
from inspector.extensions import db
from inspector.models import (
    Checklist,
    ChecklistItem,
    ChecklistSection,
    ChecklistStatus,
    ItemType,
)


def save_checklist(actor, document, based_on=None, status=ChecklistStatus.PUBLISHED) -> Checklist:
    """Store a checklist document as the newest version of its code.

    `based_on` is the version an edit started from: if a newer one was saved meanwhile, this
    edit would silently drop that version's changes, so it is refused (ConflictError).
    A new version keeps its code's lifecycle status and site kinds; `status` is a new code's.
    """
    faults = check_checklist(document)
    if faults:
        fields = {}
        for fault in faults:
            fields.setdefault(fault.field, gettext(fault.message, **fault.params))
        raise ValidationError(fields, "The checklist has faults.")
    document = normalise(document)
    latest = db.session.scalar(
        select(func.max(Checklist.version)).where(Checklist.code == document["code"])
    )
    if based_on is not None and latest != based_on.version:
        raise ConflictError(
            _l("Version %(n)d was saved after the one this edit started from.", n=latest or 0),
            code="stale_version",
        )
    previous = latest_version(document["code"]) if latest else None
    db.session.execute(
        update(Checklist).where(Checklist.code == document["code"]).values(is_current=False)
    )
    checklist = Checklist(
        code=document["code"],
        version=(latest or 0) + 1,
        name=document["name"],
        description=document["description"],
        created_by_id=actor.id if actor else None,
        status=previous.status if previous else status,
        retired_at=previous.retired_at if previous else None,
        site_kinds=previous.site_kinds if previous else "",
    )
    add_sections(checklist, document["sections"])
    db.session.add(checklist)
    audit.record(
        actor, "checklist.create", checklist, code=checklist.code, version=checklist.version
    )
    return checklist


def add_sections(checklist, sections):
    position = 0
    for number, section in enumerate(sections):
        row = ChecklistSection(position=number, title=section["title"])
        for item in section["items"]:
            row.items.append(
                ChecklistItem(
                    checklist=checklist,
                    position=position,
                    key=item["key"],
                    text=item["text"],
                    guidance=item.get("guidance", ""),
                    type=ItemType(item["type"]),
                    points=item.get("points"),
                    per=item.get("per"),
                    critical=item.get("critical", False),
                    photo_on_fail=item.get("photo_on_fail", False),
                )
            )
            position += 1
        checklist.sections.append(row)


def checklist_document(checklist) -> dict:
    """Return a checklist version in the contract's JSON format (for export and import)."""
    return {
        "code": checklist.code,
        "name": checklist.name,
        "description": checklist.description,
        "sections": [
            {"title": section.title, "items": [item_document(i) for i in section.items]}
            for section in checklist.sections
        ],
    }


def item_document(item) -> dict:
    out = {"key": item.key, "text": item.text, "type": str(item.type)}
    if item.type != ItemType.TEXT:
        out["points"] = whole(item.points)
        if item.type == ItemType.DEDUCT:
            out["per"] = whole(item.per)
        out["critical"] = item.critical
        out["photo_on_fail"] = item.photo_on_fail
    if item.guidance:
        out["guidance"] = item.guidance
    return out


def whole(value):
    """Give 5.0 back as 5, as it was written."""
    return int(value) if value is not None and float(value).is_integer() else value


def scoring_item(item) -> scoring.Item:
    """What the pure scoring rules need to know about one checklist item."""
    return scoring.Item(item.key, str(item.type), item.points, item.per, item.critical)


def scoring_items(checklist) -> list[scoring.Item]:
    return [scoring_item(item) for item in checklist.items]


def latest_version(code) -> Checklist | None:
    return db.session.scalar(
        select(Checklist).where(Checklist.code == code).order_by(Checklist.version.desc()).limit(1)
    )


def current_checklists(user):
    """The current version of each checklist `user` may see: drafts only for admins."""
    stmt = visible(user).where(Checklist.is_current).order_by(Checklist.name)
    return db.session.scalars(stmt).all()


def used_keys(code) -> set[str]:
    """Every item key any version of `code` has used (generated keys never reuse one)."""
    if not code:
        return set()
    return set(
        db.session.scalars(select(ChecklistItem.key).join(Checklist).where(Checklist.code == code))
    )


def unused_code() -> str:
    """The next `checklist-N` no checklist has: a code for an admin who left it blank."""
    taken = set(
        db.session.scalars(select(Checklist.code).where(Checklist.code.like("checklist-%")))
    )
    number = 1
    while f"checklist-{number}" in taken:
        number += 1
    return f"checklist-{number}"

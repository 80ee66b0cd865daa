"""The browser editor's form: flat field names <-> a checklist document, and edit actions.

Field names are the document paths the format checker reports ("sections.0.items.2.points"),
so each fault lands next to its field. Pure: no Flask.
"""

import re

from inspector.limits import number_or_text

# A new item's type is left for the admin to choose (no select chooses for the user).
ITEM_DEFAULTS = {
    "key": "",
    "text": "",
    "type": "",
    "points": "",
    "per": "",
    "critical": False,
    "photo_on_fail": False,
    "guidance": "",
}
ACTION = re.compile(
    r"^(add-item|remove-item|up-item|down-item|add-section|remove-section)"
    r"(?::(\d+))?(?::(\d+))?$"
)


def document_from_form(form) -> dict:
    """Rebuild a checklist document from the editor's submitted fields."""
    document = {
        "code": form.get("code", "").strip(),
        "name": form.get("name", ""),
        "description": form.get("description", ""),
        "sections": [],
    }
    s = 0
    while f"sections.{s}.title" in form:
        section = {"title": form.get(f"sections.{s}.title", ""), "items": []}
        i = 0
        while f"sections.{s}.items.{i}.key" in form:
            section["items"].append(item_from_form(form, f"sections.{s}.items.{i}"))
            i += 1
        document["sections"].append(section)
        s += 1
    return document


def item_from_form(form, prefix) -> dict:
    item = {
        "key": form.get(f"{prefix}.key", "").strip(),
        "text": form.get(f"{prefix}.text", ""),
        "type": form.get(f"{prefix}.type", ""),
    }
    if item["type"] != "text":
        item["points"] = number_or_text(form.get(f"{prefix}.points"))
        item["critical"] = f"{prefix}.critical" in form
        item["photo_on_fail"] = f"{prefix}.photo_on_fail" in form
    if item["type"] == "deduct":
        item["per"] = number_or_text(form.get(f"{prefix}.per")) or 1
    if form.get(f"{prefix}.guidance", "").strip():
        item["guidance"] = form.get(f"{prefix}.guidance")
    return item


def apply_action(document: dict, action: str) -> dict:
    """Add, remove or move a section or item as the pressed button asks."""
    match = ACTION.match(action or "")
    if not match:
        return document
    verb, s, i = match.group(1), int(match.group(2) or 0), int(match.group(3) or 0)
    sections = document["sections"]
    if verb == "add-section":
        sections.append({"title": "", "items": [dict(ITEM_DEFAULTS)]})
    elif s < len(sections):
        change_section(sections, verb, s, i)
    return document


def change_section(sections, verb, s, i):
    items = sections[s]["items"]
    if verb == "remove-section":
        sections.pop(s)
    elif verb == "add-item":
        items.append(dict(ITEM_DEFAULTS))
    elif i < len(items):
        if verb == "remove-item":
            items.pop(i)
        elif verb == "up-item" and i > 0:
            items[i - 1], items[i] = items[i], items[i - 1]
        elif verb == "down-item" and i + 1 < len(items):
            items[i + 1], items[i] = items[i], items[i + 1]


def blank_document() -> dict:
    return {
        "code": "",
        "name": "",
        "description": "",
        "sections": [{"title": "", "items": [dict(ITEM_DEFAULTS)]}],
    }


def changes_between(old: dict, new: dict) -> list[dict]:
    """What `new` changed in `old`, item by item: {"change", "key", "text"}, in `new`'s order."""
    before = {item["key"]: item for section in old["sections"] for item in section["items"]}
    after = {item["key"]: item for section in new["sections"] for item in section["items"]}
    changes = []
    for key, item in after.items():
        if key not in before:
            changes.append({"change": "added", "key": key, "text": item["text"]})
        elif item != before[key]:
            changes.append({"change": "changed", "key": key, "text": item["text"]})
    changes.extend(
        {"change": "removed", "key": key, "text": item["text"]}
        for key, item in before.items()
        if key not in after
    )
    if (old["name"], old["description"]) != (new["name"], new["description"]):
        changes.insert(0, {"change": "renamed", "key": "", "text": new["name"]})
    return changes

"""The checklist JSON format of the contract: check a document, list every fault.

Pure: no Flask, no database. Fault messages are message templates marked with N_ so
the web layer can translate them; params fill their %(name)s placeholders.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from inspector.limits import (
    ITEM_TEXT_LENGTH,
    KEY_LENGTH,
    MAX_CHECKLIST_ITEMS,
    TEXT_LENGTH,
    TITLE_LENGTH,
)

KEY_PATTERN = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9_.-]{{0,{KEY_LENGTH - 1}}}$")
ITEM_TYPES = ("check", "scale", "deduct", "text")
CHECKLIST_FIELDS = {"code", "name", "description", "sections"}
SECTION_FIELDS = {"title", "items"}
ITEM_FIELDS = {"key", "text", "type", "points", "per", "critical", "photo_on_fail", "guidance"}
MAX_ITEMS = MAX_CHECKLIST_ITEMS
MAX_POINTS = 1000


def N_(message: str) -> str:  # noqa: N802  (the conventional gettext marker name)
    """Mark a message for translation without translating it here."""
    return message


@dataclass(frozen=True)
class Fault:
    field: str
    message: str
    params: dict = field(default_factory=dict)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_text(faults, where, value, limit, required=True):
    if value is None and not required:
        return
    if not isinstance(value, str) or (required and not value.strip()):
        faults.append(Fault(where, N_("Enter text.")))
    elif len(value) > limit:
        faults.append(Fault(where, N_("At most %(n)d characters."), {"n": limit}))


def check_fields(faults, where, document, allowed):
    for name in sorted(set(document) - allowed):
        faults.append(Fault(f"{where}{name}", N_("Unknown field.")))


def check_checklist(document: Any) -> list[Fault]:
    """Return every fault in a checklist document; an empty list means it is valid."""
    if not isinstance(document, dict):
        return [Fault("body", N_("A checklist is a JSON object."))]
    faults: list[Fault] = []
    check_fields(faults, "", document, CHECKLIST_FIELDS)
    code = document.get("code")
    if not isinstance(code, str) or not KEY_PATTERN.match(code):
        faults.append(Fault("code", N_("Use 1-64 letters, digits, '-', '_' or '.'.")))
    check_text(faults, "name", document.get("name"), TITLE_LENGTH)
    check_text(faults, "description", document.get("description"), TEXT_LENGTH, required=False)
    sections = document.get("sections")
    if not isinstance(sections, list) or not sections:
        faults.append(Fault("sections", N_("A checklist needs at least one section.")))
        return faults
    keys: set[str] = set()
    for number, section in enumerate(sections):
        check_section(faults, f"sections.{number}", section, keys)
    if not keys and not any(f.field.startswith("sections.") for f in faults):
        faults.append(Fault("sections", N_("A checklist needs at least one item.")))
    if len(keys) > MAX_ITEMS:
        faults.append(Fault("sections", N_("At most %(n)d items."), {"n": MAX_ITEMS}))
    return faults


def check_section(faults, where, section, keys):
    if not isinstance(section, dict):
        faults.append(Fault(where, N_("A section is a JSON object.")))
        return
    check_fields(faults, f"{where}.", section, SECTION_FIELDS)
    check_text(faults, f"{where}.title", section.get("title"), TITLE_LENGTH)
    items = section.get("items")
    if not isinstance(items, list) or not items:
        faults.append(Fault(f"{where}.items", N_("A section needs at least one item.")))
        return
    for number, item in enumerate(items):
        check_item(faults, f"{where}.items.{number}", item, keys)


def check_item(faults, where, item, keys):
    if not isinstance(item, dict):
        faults.append(Fault(where, N_("An item is a JSON object.")))
        return
    check_fields(faults, f"{where}.", item, ITEM_FIELDS)
    key = item.get("key")
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        faults.append(Fault(f"{where}.key", N_("Use 1-64 letters, digits, '-', '_' or '.'.")))
    elif key in keys:
        faults.append(Fault(f"{where}.key", N_("The key %(key)s is used twice."), {"key": key}))
    else:
        keys.add(key)
    check_text(faults, f"{where}.text", item.get("text"), ITEM_TEXT_LENGTH)
    check_text(faults, f"{where}.guidance", item.get("guidance"), TEXT_LENGTH, required=False)
    for flag in ("critical", "photo_on_fail"):
        if flag in item and not isinstance(item[flag], bool):
            faults.append(Fault(f"{where}.{flag}", N_("Use true or false.")))
    kind = item.get("type")
    if kind in (None, ""):
        faults.append(Fault(f"{where}.type", N_("Choose a type.")))
    elif kind not in ITEM_TYPES:
        faults.append(Fault(f"{where}.type", N_("Use check, scale, deduct or text.")))
    elif kind == "text":
        check_text_item(faults, where, item)
    else:
        check_scored_item(faults, where, item, kind)


def check_text_item(faults, where, item):
    for name in ("points", "per", "critical", "photo_on_fail"):
        if item.get(name) not in (None, False):
            faults.append(Fault(f"{where}.{name}", N_("Text items are not scored.")))


def check_scored_item(faults, where, item, kind):
    points = item.get("points")
    if not is_number(points) or points <= 0:
        faults.append(Fault(f"{where}.points", N_("Points must be above 0.")))
    elif points > MAX_POINTS:
        faults.append(Fault(f"{where}.points", N_("At most %(n)d points."), {"n": MAX_POINTS}))
    elif kind == "scale" and points != int(points):
        faults.append(Fault(f"{where}.points", N_("A scale item needs whole points.")))
    per = item.get("per")
    if kind == "deduct":
        if per is not None and (not is_number(per) or per <= 0):
            faults.append(Fault(f"{where}.per", N_("The deduction per case must be above 0.")))
    elif per is not None:
        faults.append(Fault(f"{where}.per", N_("Only deduction items have a deduction per case.")))


GENERATED_KEY = re.compile(r"^item-(\d+)$")


def fill_missing_keys(document: Any, used: set[str]) -> Any:
    """Give every item without a key the next unused `item-N`, never one `used` before.

    `used` holds the keys of every saved version of this checklist, so a generated key is never
    reused for a different item; once saved, a key travels with its item and does not change.
    """
    if not isinstance(document, dict) or not isinstance(document.get("sections"), list):
        return document
    items = [
        item
        for section in document["sections"]
        if isinstance(section, dict) and isinstance(section.get("items"), list)
        for item in section["items"]
        if isinstance(item, dict)
    ]
    taken = used | {item["key"] for item in items if isinstance(item.get("key"), str)}
    numbers = [int(m.group(1)) for m in map(GENERATED_KEY.match, taken) if m]
    following = max(numbers, default=0) + 1
    for item in items:
        if item.get("key") in (None, ""):
            item["key"] = f"item-{following}"
            following += 1
    return document


def normalise(document: dict) -> dict:
    """Return a valid document with every optional field filled in (the export form)."""
    return {
        "code": document["code"],
        "name": document["name"].strip(),
        "description": (document.get("description") or "").strip(),
        "sections": [
            {"title": section["title"].strip(), "items": [normal_item(i) for i in section["items"]]}
            for section in document["sections"]
        ],
    }


def normal_item(item: dict) -> dict:
    scored = item["type"] != "text"
    out = {"key": item["key"], "text": item["text"].strip(), "type": item["type"]}
    if scored:
        out["points"] = item["points"]
        if item["type"] == "deduct":
            out["per"] = item.get("per", 1)
        out["critical"] = bool(item.get("critical", False))
        out["photo_on_fail"] = bool(item.get("photo_on_fail", False))
    if item.get("guidance"):
        out["guidance"] = item["guidance"].strip()
    return out

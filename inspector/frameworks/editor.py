"""Editing a framework in the browser, field by field: the form's rows to and from the JSON
import format, which alone is validated and saved (as a new version, like an import).

Pure: no Flask, no database. The view (frameworks/views.py) validates the document and maps
the faults back to the rows they came from.
"""

import re

from inspector.limits import number_or_text

FIELDS = ("code", "section", "title", "points", "method", "criteria", "target", "items")
FLAGS = ("veto", "bonus")
FAULT = re.compile(r"^indicators\.(\d+)\.([a-z_]+)")


def rows_of(document) -> list[dict]:
    """The document's indicators as the form shows them: text in every field."""
    return [
        {
            "code": item["code"],
            "section": item.get("section", ""),
            "title": item["title"],
            "points": number_text(item.get("points")),
            "method": item["method"],
            "criteria": item.get("criteria", ""),
            "target": number_text(item.get("target")),
            "items": ", ".join(
                f"{link['template']}:{link['item']}" for link in item.get("items", [])
            ),
            "activity_kinds": list(item.get("activity_kinds", [])),
            "veto": bool(item.get("veto")),
            "bonus": bool(item.get("bonus")),
            "remove": False,
        }
        for item in document["indicators"]
    ]


def new_row() -> dict:
    """The empty indicator the form ends with, for adding one."""
    return rows_of({"indicators": [{"code": "", "title": "", "method": "material"}]})[0]


def number_text(value) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def rows_from_form(form, count) -> list[dict]:
    """The `count` rows a form sent (ind-N-field), as typed."""
    rows = []
    for n in range(count):
        row = {name: form.get(f"ind-{n}-{name}", "").strip() for name in FIELDS}
        row["activity_kinds"] = form.getlist(f"ind-{n}-activity_kinds")
        for flag in (*FLAGS, "remove"):
            row[flag] = form.get(f"ind-{n}-{flag}") == "1"
        rows.append(row)
    return rows


def is_blank(row) -> bool:
    return not any(row[name] for name in ("code", "title", "points", "criteria", "items"))


def document_from(header, rows) -> tuple[dict, list[int]]:
    """The import document of the form, and for each of its indicators the row it came from.

    Removed rows and blank ones (the empty row for adding) are left out; a number that is not
    one is kept as text, for the JSON Schema to name.
    """
    indicators, origin = [], []
    for n, row in enumerate(rows):
        if row["remove"] or is_blank(row):
            continue
        indicators.append(indicator_from(row))
        origin.append(n)
    document = {**header, "indicators": indicators}
    return document, origin


def indicator_from(row) -> dict:
    item = {"code": row["code"], "title": row["title"], "method": row["method"]}
    for name in ("section", "criteria"):
        if row[name]:
            item[name] = row[name]
    if row["points"]:
        item["points"] = number_or_text(row["points"])
    if row["target"]:
        item["target"] = number_or_text(row["target"])
    links = [part.strip() for part in row["items"].replace("，", ",").split(",") if part.strip()]
    if links:
        item["items"] = [link_from(part) for part in links]
    if row["activity_kinds"]:
        item["activity_kinds"] = row["activity_kinds"]
    for flag in FLAGS:
        if row[flag]:
            item[flag] = True
    return item


def link_from(text) -> dict:
    template, _, key = text.replace("：", ":").partition(":")
    return {"template": template.strip(), "item": key.strip()}


def faults_by_row(fields, origin) -> tuple[dict, dict]:
    """The validator's faults as ({row: {field: message}}, {form-level field: message})."""
    by_row, other = {}, {}
    for name, message in fields.items():
        found = FAULT.match(name)
        if found and int(found.group(1)) < len(origin):
            row = origin[int(found.group(1))]
            by_row.setdefault(row, {}).setdefault(found.group(2), message)
        else:
            other[name] = message
    return by_row, other

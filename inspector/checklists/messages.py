"""Say where a checklist fault is the way a person counts: 第1组第1项（桌面无灰尘）：分值必须大于 0.

The API answers with the document paths (`sections.0.items.0.points`) for programs; people
importing a file read section and item numbers from 1 and the item's text.
"""

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

PATH = re.compile(r"^sections\.(\d+)(?:\.items\.(\d+))?(?:\.(\w+))?$")
# Fields whose messages already say what they are about ("Points must be above 0.").
SELF_NAMING = {None, "points", "per", "items", "title"}
FIELD_LABELS = {
    "code": _l("Code"),
    "name": _l("Name"),
    "description": _l("Description"),
    "sections": _l("Sections"),
    "key": _l("Key"),
    "text": _l("What to check"),
    "type": _l("Type"),
    "guidance": _l("Guidance for inspectors"),
    "critical": _l("Critical"),
    "photo_on_fail": _l("Photo if failed"),
}

STATUS_CHANGED = {
    "publish": _l("Published: inspectors can use it for new inspections."),
    "retire": _l("Retired: no new inspections; those made with it keep it."),
    "unpublish": _l("Back to draft: only administrators see it."),
}


def fault_lines(document, errors: dict) -> list[str]:
    """One sentence per fault in `errors` (path -> message), in the document's order."""
    return [fault_line(document, where, message) for where, message in errors.items()]


def fault_line(document, where, message) -> str:
    match = PATH.match(where)
    if not match:
        if where == "body":
            return str(message)
        return _("%(field)s: %(message)s", field=label(where), message=message)
    section, item, field = int(match.group(1)) + 1, match.group(2), match.group(3)
    if item is None:
        return _("Section %(s)d: %(message)s", s=section, message=message)
    return item_line(document, section, int(item) + 1, field, message)


def item_line(document, section, item, field, message) -> str:
    """Numbered from 1, with the item's text and, where the message does not say it, the field."""
    text = item_text(document, section - 1, item - 1)
    named = {"s": section, "i": item, "message": message}
    if field not in SELF_NAMING:
        named["field"] = label(field)
        if text:
            return _(
                "Section %(s)d, item %(i)d (%(text)s), %(field)s: %(message)s", text=text, **named
            )
        return _("Section %(s)d, item %(i)d, %(field)s: %(message)s", **named)
    if text:
        return _("Section %(s)d, item %(i)d (%(text)s): %(message)s", text=text, **named)
    return _("Section %(s)d, item %(i)d: %(message)s", **named)


def label(field) -> str:
    return str(FIELD_LABELS.get(field, field))


def item_text(document, section, item) -> str:
    """The item's text, shortened, or "" when the document has none there."""
    try:
        text = document["sections"][section]["items"][item]["text"]
    except (KeyError, IndexError, TypeError):
        return ""
    if not isinstance(text, str):
        return ""
    text = text.strip()
    return text if len(text) <= 30 else text[:29] + "…"

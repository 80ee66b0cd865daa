"""How large a number, how long a text and how deep a JSON document the app accepts.

One table of limits, read by the JSON Schemas, the services and the forms, so the API and the
web UI refuse the same things with the same words. Pure: no Flask, no database. Dates are
bounded in inspector.periods (FIRST_DAY..LAST_DAY).
"""

import math
from typing import Any

# Record ids: what every database's id column holds. The ids are INTEGER columns: 32 bits in
# PostgreSQL (64 in SQLite). A larger number reaching the database is an error ("integer out of
# range", OverflowError), not "no such record"; no record can have one, so it names none.
MAX_ID = 2**31 - 1

# Free text, in characters.
CODE_LENGTH = 32  # department and site codes
NAME_LENGTH = 100  # department and site names
ADDRESS_LENGTH = 200
COMMUNITY_LENGTH = 100  # 社区 or 村 a site belongs to (rounds draw by it)
TITLE_LENGTH = 200  # checklist names, section titles, finding titles, campaign names
ITEM_TEXT_LENGTH = 500  # a checklist item's question
TEXT_LENGTH = 2000  # notes, comments, descriptions, guidance and text answers
KEY_LENGTH = 64  # checklist codes and item keys
MAX_CHECKLIST_ITEMS = 500  # items in one checklist

# A deduction item's count of cases: far beyond any real count, well inside a float's integers.
MAX_COUNT = 1_000_000

# JSON nesting: the deepest valid body (a checklist: sections, items, fields) is 5 levels.
MAX_JSON_DEPTH = 32

# A 422 names at most this many faulty fields, each message at most this long: a body with
# ten thousand bad items must not come back ten thousand times, nor the input echoed whole.
MAX_FIELD_ERRORS = 50
MAX_MESSAGE_LENGTH = 200


def parse_int(text: Any, low: int = 1, high: int = MAX_ID) -> int:
    """Read a decimal integer from low to high; ValueError for anything else.

    Only ASCII digits (Python's int() also reads "٣" and "1_000"), and no more digits than
    the bound has, so an enormous string costs nothing to refuse.
    """
    text = str(text).strip()
    digits = text.removeprefix("-")
    longest = max(len(str(abs(low))), len(str(abs(high))))
    if not (digits.isascii() and digits.isdigit()) or len(digits) > longest:
        raise ValueError(f"not an integer from {low} to {high}")
    value = int(text)
    if not low <= value <= high:
        raise ValueError(f"not an integer from {low} to {high}")
    return value


def json_fault(document: Any, limit: int = MAX_JSON_DEPTH) -> str | None:
    """What makes a parsed JSON document unacceptable, checked without recursion.

    "depth" when arrays and objects nest deeper than `limit`; "text" when a string or a key
    cannot be stored (see unstorable); None when it is fine.
    """
    pending = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if unstorable(value):
                return "text"
            continue
        if isinstance(value, dict):
            children = [*value.keys(), *value.values()]
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return "depth"
        pending.extend((child, depth + 1) for child in children)
    return None


def unstorable(text: Any) -> bool:
    """Tell whether `text` holds what no database takes: U+0000, or a lone surrogate.

    PostgreSQL can neither store nor compare U+0000; a surrogate half (JSON's "\\ud800"
    escape) cannot be encoded as UTF-8 for either database.
    """
    if not isinstance(text, str):
        return False
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def too_long(value: Any, limit: int) -> bool:
    return isinstance(value, str) and len(value) > limit


def shorten(text: str, limit: int = MAX_MESSAGE_LENGTH) -> str:
    """`text` cut to `limit` characters, marked with an ellipsis where it was cut."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# A document number (文号) such as 文明办〔2026〕12号, printed under the issuing unit.
DOCUMENT_NUMBER_LENGTH = 64


def number_or_text(raw):
    """A form's "5" as 5 and "0.5" as 0.5, "" as None; anything else, "nan" and "inf"
    included, is left as text for the validator to refuse by name (a NaN passes every bound)."""
    raw = (raw or "").strip()
    if raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        return raw
    if not math.isfinite(value):
        return raw
    return int(value) if value.is_integer() else value

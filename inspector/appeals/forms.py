"""The corrected answers a ruling may give, as a form offers and reads them."""

from flask_babel import lazy_gettext as _l

from inspector import scoring
from inspector.checklists.services import scoring_item
from inspector.limits import MAX_COUNT, parse_int


def decision_choices(item, answer):
    """The answers to `item` that lose fewer points than `answer`, with their labels."""
    rules = scoring_item(item)
    lost = scoring.lost_points(rules, answer)
    if item.type == "check":
        candidates = ["pass", "na"]
    elif item.type == "scale":
        candidates = list(range(int(item.points or 0), -1, -1)) + ["na"]
    elif item.type == "deduct":
        count = answer.get("count", 0) if isinstance(answer, dict) else 0
        candidates = [{"count": n} for n in range(count - 1, -1, -1)] + ["na"]
    else:
        candidates = []
    return [
        (encode(value), label(item, value))
        for value in candidates
        if scoring.lost_points(rules, value) < lost
    ]


def encode(value):
    """An answer as a form value: pass, na, 3 (a mark) or count:2."""
    if isinstance(value, dict):
        return f"count:{value['count']}"
    return str(value)


def label(item, value):
    if value == "na":
        return _l("N/A")
    if value == "pass":
        return _l("Pass")
    if isinstance(value, dict):
        return _l("%(n)d cases", n=value["count"])
    return _l("%(n)d points", n=value)


def whole(text):
    try:
        return parse_int(text, 0, MAX_COUNT)
    except ValueError:
        return None


def corrected_answer(item, form):
    """Read the chosen corrected answer back; None when nothing usable was chosen."""
    raw = form.get("answer", "")
    if raw in ("pass", "na"):
        return raw
    if raw.startswith("count:"):
        count = whole(raw.removeprefix("count:"))
        return None if count is None else {"count": count}
    return whole(raw)

"""The scoring rules of the contract, as pure functions: no Flask, no database.

Answers per item type:
- check:  "pass" (earns points), "fail" (earns 0) or "na";
- scale:  an integer 0..points (earns it) or "na";
- deduct: {"count": n}, 0 <= n <= MAX_COUNT, earns max(0, points - n * per), or "na";
          failed when n > 0;
- text:   any string of at most TEXT_LENGTH characters, never scored.
"na" removes an item from both earned and possible.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from inspector.limits import MAX_COUNT, TEXT_LENGTH

NA = "na"
SCORED_TYPES = frozenset({"check", "scale", "deduct"})


@dataclass(frozen=True)
class Item:
    """What scoring needs to know about one checklist item."""

    key: str
    type: str
    points: float | None = None
    per: float | None = None
    critical: bool = False


@dataclass(frozen=True)
class ItemScore:
    earned: float | None  # None when the item does not count (text, N/A, unanswered)
    possible: float | None
    failed: bool


@dataclass(frozen=True)
class Score:
    earned: float
    possible: float
    percent: float | None
    critical_failed: bool


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def answer_problem(item: Item, answer: Any) -> str | None:
    """Return why `answer` is not a valid answer to `item`, or None when it is."""
    if item.type == "text":
        ok = isinstance(answer, str) and len(answer) <= TEXT_LENGTH
        return None if ok else f"must be a string of at most {TEXT_LENGTH} characters"
    if answer == NA:
        return None
    if item.type == "check":
        return None if answer in ("pass", "fail") else 'must be "pass", "fail" or "na"'
    if item.type == "scale":
        ok = is_int(answer) and 0 <= answer <= (item.points or 0)
        return None if ok else f'must be an integer from 0 to {number(item.points)} or "na"'
    if item.type == "deduct":
        count = answer.get("count") if isinstance(answer, dict) else None
        ok = (
            isinstance(answer, dict)
            and set(answer) == {"count"}
            and is_int(count)
            and 0 <= count <= MAX_COUNT
        )
        return None if ok else f'must be {{"count": n}} with n from 0 to {MAX_COUNT}, or "na"'
    return f"unknown item type {item.type!r}"


def score_item(item: Item, answer: Any) -> ItemScore:
    """Score one valid answer (None meaning unanswered)."""
    if item.type not in SCORED_TYPES or answer is None or answer == NA:
        return ItemScore(None, None, False)
    points = item.points or 0
    if item.type == "check":
        passed = answer == "pass"
        return ItemScore(points if passed else 0, points, not passed)
    if item.type == "scale":
        # The contract defines failure for check and deduct items only; a low
        # scale mark lowers the score but opens no finding and vetoes nothing.
        return ItemScore(answer, points, False)
    count = answer["count"]
    earned = max(0, exact(points) - count * exact(item.per or 0))
    return ItemScore(float(earned), points, count > 0)


def lost_points(item: Item, answer: Any) -> Decimal:
    """Points the answer loses: possible − earned (0 for text, N/A and unanswered items).

    An appeal may contest an item that lost points (a failed check, a deduction, a scale
    below its points); an overturn must give an answer that loses fewer.
    """
    result = score_item(item, answer)
    if result.possible is None:
        return Decimal(0)
    return exact(result.possible) - exact(result.earned)


def score_inspection(items: Iterable[Item], answers: Mapping[str, Any]) -> Score:
    """Total the scored, answered, non-N/A items; flag a failed critical item."""
    earned = possible = Decimal(0)
    critical_failed = False
    for item in items:
        result = score_item(item, answers.get(item.key))
        if result.possible is None:
            continue
        earned += exact(result.earned)
        possible += exact(result.possible)
        critical_failed = critical_failed or (item.critical and result.failed)
    return Score(float(earned), float(possible), percent(earned, possible), critical_failed)


def percent(earned, possible) -> float | None:
    """100 × earned / possible, rounded half up to one decimal; None when possible is 0."""
    if not possible:
        return None
    return round_1(exact(earned) * 100 / exact(possible))


def mean_percent(percents: Iterable[float | None]) -> float | None:
    """The mean of the percents that are not None, rounded to one decimal (None if none)."""
    values = [exact(value) for value in percents if value is not None]
    if not values:
        return None
    return round_1(sum(values) / len(values))


def grade(value: float | None, vetoed: bool, thresholds: Mapping[str, float]) -> str | None:
    """Band a percent into a grade; a vetoed unit fails whatever its percent."""
    return banded(value, vetoed, grade_bands(thresholds))


def grade_bands(thresholds: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    """The grades highest floor first: sorted once for a sheet, not once per department."""
    return tuple(sorted(thresholds.items(), key=lambda pair: -pair[1]))


def banded(value: float | None, vetoed: bool, bands: tuple[tuple[str, float], ...]) -> str | None:
    """grade() over bands from grade_bands()."""
    if vetoed:
        return "fail"
    if value is None:
        return None
    for name, floor in bands:
        if value >= floor:
            return name
    return "fail"


def ranked(rows: Iterable[dict]) -> list[dict]:
    """Sheet rows copied with their rank, in sheet order: highest "percent" first, ties sharing
    a rank (1, 2, 2, 4) in "department" order, rows without a percent unranked and last.

    One sort and one pass: the order is the ranks' order, so they are counted on the way.
    """
    ordered = sorted(rows, key=sheet_order)
    answer, previous, rank = [], None, None
    for position, row in enumerate(ordered, start=1):
        percent = row["percent"]
        if percent != previous:
            rank, previous = (None if percent is None else position), percent
        answer.append({**row, "rank": rank})
    return answer


def sheet_order(row: dict) -> tuple:
    percent = row["percent"]
    return (percent is None, -percent if percent is not None else 0, row["department"])


def exact(value) -> Decimal:
    """Turn a number into a Decimal without binary-float noise (0.1 stays 0.1)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def round_1(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def mean_of_tenths(tenths: int, count: int) -> float:
    """The mean of `count` percents that sum to `tenths` tenths, to one decimal, half up.

    round_1(Decimal(tenths) / count / 10) in whole numbers: a sheet has a row per department.
    """
    if tenths < 0:
        return round_1(Decimal(tenths) / count / 10)
    return (2 * tenths + count) // (2 * count) / 10


def number(value) -> str:
    """Show 5.0 as 5 and 2.5 as 2.5 in messages."""
    return f"{value:g}" if isinstance(value, float) else str(value)

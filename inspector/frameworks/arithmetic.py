"""The contract's method arithmetic for framework indicators, as pure functions.

No Flask, no database: the queries gather each indicator's evidence (docs/framework.md) and
these functions turn it into points. Sums stay exact (Decimal) and are rounded to one decimal
only at the end, so a total never drifts from the sum of what was earned.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from inspector.scoring import exact, round_1

INSPECTION, ACTIVITY, MATERIAL, SURVEY = "inspection", "activity", "material", "survey"


@dataclass(frozen=True)
class Rule:
    """What the arithmetic needs to know about one indicator."""

    code: str
    title: str
    method: str
    points: float | None
    target: int | None = None
    veto: bool = False
    bonus: bool = False


@dataclass(frozen=True)
class Evidence:
    """What was found for one indicator over the year.

    inspection: Σ earned and Σ possible of the linked items' answers; activity: `records`;
    material, survey and veto: the reviewer's `mark` (None: not marked yet). `count` is the
    number of pieces of evidence shown beside it (inspections, activities, marks).
    """

    earned: float = 0
    possible: float = 0
    records: int = 0
    mark: float | None = None
    count: int = 0


@dataclass(frozen=True)
class Outcome:
    code: str
    title: str
    method: str
    points: float | None
    earned: Decimal | None  # exact; None on a veto indicator
    evidence: int
    gap: tuple | None  # (what, values...) when short of full points, or a failed veto
    bonus: bool = False


def inspection_points(points, earned, possible) -> Decimal:
    """points × Σ earned ÷ Σ possible; nothing when no linked item was answered."""
    if not possible:
        return Decimal(0)
    return exact(points) * exact(earned) / exact(possible)


def activity_points(points, records, target) -> Decimal:
    """points × min(1, records ÷ target); full points when no target is set."""
    if not target:
        return exact(points) if records else Decimal(0)
    return exact(points) * min(Decimal(1), Decimal(records) / Decimal(target))


def marked_points(points, mark) -> Decimal:
    """A reviewer's mark, within 0..points; nothing until marked."""
    if mark is None:
        return Decimal(0)
    return max(Decimal(0), min(exact(points), exact(mark)))


def score_indicator(rule: Rule, found: Evidence) -> Outcome:
    """The points `rule` earns from `found`, and what is missing for full points."""
    if rule.veto:
        gap = None
        if found.mark is None:
            gap = ("not_marked",)
        elif not found.mark:
            gap = ("veto_failed",)
        return Outcome(rule.code, rule.title, rule.method, None, None, found.count, gap, rule.bonus)
    points = rule.points or 0
    if rule.method == INSPECTION:
        earned = inspection_points(points, found.earned, found.possible)
        gap = ("no_inspection",) if not found.possible else ("rate", found.earned, found.possible)
    elif rule.method == ACTIVITY:
        earned = activity_points(points, found.records, rule.target)
        gap = ("records", found.records, rule.target)
    else:
        earned = marked_points(points, found.mark)
        gap = ("not_marked",) if found.mark is None else ("marked", found.mark, points)
    if earned >= exact(points):
        gap = None
    return Outcome(
        rule.code, rule.title, rule.method, rule.points, earned, found.count, gap, rule.bonus
    )


@dataclass(frozen=True)
class Evaluation:
    total: float  # base points earned plus the capped bonus, rounded at the end
    possible: float  # the base indicators' points (bonus and veto indicators add none)
    bonus: float  # the bonus indicators' sum, capped at bonus_cap
    vetoed: bool
    indicators: list[Outcome]


def evaluate(scored: Iterable[Outcome], bonus_cap=None) -> Evaluation:
    """Total the indicators: base points, the bonus capped at `bonus_cap`, any failed veto."""
    scored = list(scored)
    base = possible = bonus = Decimal(0)
    vetoed = False
    for outcome in scored:
        if outcome.earned is None:  # a veto indicator: passed or failed, no points
            vetoed = vetoed or outcome.gap == ("veto_failed",)
        elif outcome.bonus:
            bonus += outcome.earned
        else:
            base += outcome.earned
            possible += exact(outcome.points or 0)
    if bonus_cap is not None:
        bonus = min(bonus, exact(bonus_cap))
    return Evaluation(round_1(base + bonus), round_1(possible), round_1(bonus), vetoed, scored)


def rounded(value: Decimal | None) -> float | None:
    """An indicator's exact points as shown: one decimal."""
    return None if value is None else round_1(value)

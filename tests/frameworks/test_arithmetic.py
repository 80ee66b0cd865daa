"""The method arithmetic against hand-worked cases (docs/framework.md): pure functions."""

from decimal import Decimal

import pytest

from inspector.frameworks.arithmetic import (
    Evidence,
    Rule,
    activity_points,
    evaluate,
    inspection_points,
    marked_points,
    rounded,
    score_indicator,
)


@pytest.mark.parametrize(
    ("points", "earned", "possible", "expected"),
    [
        (10, 45, 50, "9"),  # 10 × 45/50
        (8, 0, 0, "0"),  # nothing answered: nothing earned
        (6, 29, 30, "5.8"),  # 6 × 29/30 = 5.8
        (5, 2, 3, "3.333333333333333333333333333"),  # kept exact until the end
    ],
)
def test_inspection_points_are_points_times_the_score_rate(points, earned, possible, expected):
    assert inspection_points(points, earned, possible) == Decimal(expected)


@pytest.mark.parametrize(
    ("points", "records", "target", "expected"),
    [(8, 41, 52, 8 * 41 / 52), (8, 52, 52, 8), (8, 60, 52, 8), (5, 0, 12, 0)],
)
def test_activity_points_are_capped_at_the_target(points, records, target, expected):
    assert float(activity_points(points, records, target)) == pytest.approx(expected)


def test_a_mark_counts_within_its_points_and_nothing_until_marked():
    assert marked_points(10, 7.5) == Decimal("7.5")
    assert marked_points(10, None) == 0


def test_political_study_41_of_52_earns_6_3_of_8():
    outcome = score_indicator(
        Rule("2.1", "政治学习", "activity", 8, target=52), Evidence(records=41, count=41)
    )
    assert rounded(outcome.earned) == 6.3  # 8 × 41/52 = 6.307…
    assert outcome.gap == ("records", 41, 52)
    assert outcome.evidence == 41


def test_rounding_happens_once_at_the_end():
    # Three indicators of 5 points at 2/3 each: 3.333… × 3 = 10.0, not 3.3 × 3 = 9.9.
    rule = Rule("x", "x", "inspection", 5)
    outcomes = [score_indicator(rule, Evidence(earned=2, possible=3, count=1)) for _ in range(3)]
    assert [rounded(o.earned) for o in outcomes] == [3.3, 3.3, 3.3]
    assert evaluate(outcomes).total == 10.0


def test_bonus_is_capped_and_veto_fails_the_evaluation():
    base = score_indicator(Rule("1", "a", "material", 90), Evidence(mark=80, count=1))
    bonus_a = score_indicator(Rule("b1", "特色", "material", 10, bonus=True), Evidence(mark=8))
    bonus_b = score_indicator(Rule("b2", "特色", "survey", 10, bonus=True), Evidence(mark=6))
    veto_ok = score_indicator(Rule("v1", "安全", "material", None, veto=True), Evidence(mark=1))
    result = evaluate([base, bonus_a, bonus_b, veto_ok], bonus_cap=10)
    assert (result.total, result.possible, result.bonus, result.vetoed) == (90.0, 90.0, 10.0, False)
    vetoed = score_indicator(Rule("v2", "违法", "material", None, veto=True), Evidence(mark=0))
    assert evaluate([base, vetoed], bonus_cap=10).vetoed is True
    assert vetoed.earned is None and vetoed.gap == ("veto_failed",)


def test_without_a_cap_every_bonus_point_counts():
    bonus = score_indicator(Rule("b", "特色", "material", 20, bonus=True), Evidence(mark=15))
    assert evaluate([bonus]).bonus == 15.0


def test_full_points_leave_no_gap_and_unmarked_says_so():
    full = score_indicator(Rule("1", "a", "inspection", 4), Evidence(earned=9, possible=9))
    assert full.gap is None and rounded(full.earned) == 4.0
    unmarked = score_indicator(Rule("2", "b", "survey", 5), Evidence())
    assert unmarked.gap == ("not_marked",) and unmarked.earned == 0

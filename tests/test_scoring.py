"""The contract's scoring rules, case by case."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from inspector import scoring
from inspector.scoring import (
    Item,
    answer_problem,
    grade,
    mean_percent,
    percent,
    ranked,
    score_inspection,
    score_item,
)

CHECK = Item("desk-dust", "check", points=2)
CRITICAL = Item("smoking", "check", points=5, critical=True)
DEDUCT = Item("litter", "deduct", points=5, per=1)
CRITICAL_DEDUCT = Item("sheds", "deduct", points=10, per=4, critical=True)
SCALE = Item("parking", "scale", points=4)
TEXT = Item("remarks", "text")
THRESHOLDS = {"excellent": 90, "good": 80, "pass": 60}


@pytest.mark.parametrize(
    "item, answer, earned, possible, failed",
    [
        (CHECK, "pass", 2, 2, False),
        (CHECK, "fail", 0, 2, True),
        (CHECK, "na", None, None, False),
        (SCALE, 3, 3, 4, False),
        (SCALE, 0, 0, 4, False),
        (SCALE, 4, 4, 4, False),
        (DEDUCT, {"count": 0}, 5, 5, False),
        (DEDUCT, {"count": 2}, 3, 5, True),
        (DEDUCT, {"count": 5}, 0, 5, True),
        (DEDUCT, {"count": 9}, 0, 5, True),  # never below zero: 扣完为止
        (CRITICAL_DEDUCT, {"count": 3}, 0, 10, True),
        (Item("half", "deduct", points=3, per=0.5), {"count": 3}, 1.5, 3, True),
        (TEXT, "走廊灯坏了", None, None, False),
        (CHECK, None, None, None, False),  # unanswered
    ],
)
def test_item_scores(item, answer, earned, possible, failed):
    result = score_item(item, answer)
    assert (result.earned, result.possible, result.failed) == (earned, possible, failed)


@pytest.mark.parametrize(
    "item, answer",
    [
        (CHECK, "yes"),
        (CHECK, True),
        (CHECK, 1),
        (CHECK, None),
        (SCALE, 5),
        (SCALE, -1),
        (SCALE, 2.5),
        (SCALE, True),
        (SCALE, "3"),
        (DEDUCT, 2),
        (DEDUCT, {"count": -1}),
        (DEDUCT, {"count": 1.5}),
        (DEDUCT, {"n": 1}),
        (DEDUCT, {"count": 1, "extra": 2}),
        (DEDUCT, {"count": True}),
        (TEXT, 5),
        (TEXT, None),
    ],
)
def test_wrong_answer_types_are_named(item, answer):
    assert answer_problem(item, answer)


@pytest.mark.parametrize(
    "item, answer",
    [
        (CHECK, "pass"),
        (CHECK, "na"),
        (SCALE, 0),
        (SCALE, "na"),
        (DEDUCT, {"count": 0}),
        (DEDUCT, "na"),
        (TEXT, ""),
    ],
)
def test_valid_answers(item, answer):
    assert answer_problem(item, answer) is None


def test_the_contract_example_checklist():
    items = [CHECK, CRITICAL, DEDUCT, SCALE, TEXT]
    answers = {
        "desk-dust": "pass",
        "smoking": "pass",
        "litter": {"count": 2},
        "parking": 3,
        "remarks": "无",
    }
    score = score_inspection(items, answers)
    # (2 + 5 + 3 + 3) / (2 + 5 + 5 + 4) = 13 / 16 = 81.25 -> 81.3
    assert (score.earned, score.possible, score.percent) == (13, 16, 81.3)
    assert not score.critical_failed


def test_na_leaves_both_earned_and_possible():
    score = score_inspection(
        [CHECK, DEDUCT, SCALE], {"desk-dust": "na", "litter": {"count": 1}, "parking": "na"}
    )
    assert (score.earned, score.possible, score.percent) == (4, 5, 80.0)


@pytest.mark.parametrize(
    "answers, critical_failed",
    [
        ({"smoking": "fail"}, True),
        ({"smoking": "pass"}, False),
        ({"smoking": "na"}, False),
        ({"sheds": {"count": 1}}, True),
        ({"sheds": {"count": 0}}, False),
        ({"desk-dust": "fail"}, False),
    ],
)
def test_critical_failures(answers, critical_failed):
    score = score_inspection([CHECK, CRITICAL, CRITICAL_DEDUCT], answers)
    assert score.critical_failed is critical_failed


@pytest.mark.parametrize(
    "items, answers",
    [([], {}), ([TEXT], {"remarks": "ok"}), ([CHECK, SCALE], {"desk-dust": "na", "parking": "na"})],
)
def test_nothing_scored_gives_a_null_percent(items, answers):
    score = score_inspection(items, answers)
    assert (score.earned, score.possible, score.percent) == (0, 0, None)


@pytest.mark.parametrize(
    "earned, possible, expected",
    [
        (1, 3, 33.3),
        (2, 3, 66.7),
        (1, 8, 12.5),
        (1, 16, 6.3),
        (3, 16, 18.8),
        (0, 5, 0.0),
        (5, 5, 100.0),
        (0.1 + 0.2, 1, 30.0),
        (0, 0, None),
    ],
)
def test_percent_rounds_half_up_to_one_decimal(earned, possible, expected):
    assert percent(earned, possible) == expected


@pytest.mark.parametrize(
    "percents, expected",
    [
        ([80.0, 90.0], 85.0),
        ([81.3, 90.0, 77.7], 83.0),
        ([66.7, 66.6], 66.7),
        ([None, 50.0], 50.0),
        ([None], None),
        ([], None),
    ],
)
def test_department_mean(percents, expected):
    assert mean_percent(percents) == expected


@pytest.mark.parametrize(
    "value, vetoed, expected",
    [
        (90.0, False, "excellent"),
        (89.9, False, "good"),
        (80.0, False, "good"),
        (79.9, False, "pass"),
        (60.0, False, "pass"),
        (59.9, False, "fail"),
        (100.0, True, "fail"),
        (None, False, None),
        (None, True, "fail"),
    ],
)
def test_grades_and_veto(value, vetoed, expected):
    assert grade(value, vetoed, THRESHOLDS) == expected


def test_grade_thresholds_are_configurable():
    assert grade(85.0, False, {"excellent": 85, "good": 75, "pass": 50}) == "excellent"


@pytest.mark.parametrize(
    "values, ranks",
    [
        ([90.0, 85.0, 85.0, 70.0], [1, 2, 2, 4]),
        ([50.0, None, 80.0], [2, None, 1]),
        ([70.0, 70.0, 70.0], [1, 1, 1]),
        ([], []),
    ],
)
def test_competition_ranking(values, ranks):
    rows = [{"department": f"d{i}", "percent": value} for i, value in enumerate(values)]
    answer = ranked(rows)
    assert [row["rank"] for row in sorted(answer, key=lambda row: row["department"])] == ranks
    # In sheet order: ranked highest first, ties by department, the unranked last.
    assert [row["rank"] for row in answer] == sorted(ranks, key=lambda r: (r is None, r or 0))
    assert all("rank" not in row for row in rows)  # copies: the kept rows stay as they were


def test_ranked_ties_and_unranked_are_in_department_order():
    rows = [
        {"department": "c", "percent": 80.0},
        {"department": "b", "percent": None},
        {"department": "a", "percent": 80.0},
        {"department": "d", "percent": 95.5},
        {"department": "a0", "percent": None},
    ]
    assert [(row["department"], row["rank"]) for row in ranked(rows)] == [
        ("d", 1),
        ("a", 2),
        ("c", 2),
        ("a0", None),
        ("b", None),
    ]


CASES = json.loads((Path(__file__).with_name("scoring_cases.json")).read_text())["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_shared_cases(case):
    """The same table of cases checks static/js/score.js (tests/js/score.test.js)."""
    items = [
        Item(i["key"], i["type"], i.get("points"), i.get("per"), i.get("critical", False))
        for i in case["items"]
    ]
    score = score_inspection(items, case["answers"])
    got = {
        "earned": score.earned,
        "possible": score.possible,
        "percent": score.percent,
        "critical_failed": score.critical_failed,
    }
    assert got == case["expected"]


def test_the_mean_of_tenths_in_whole_numbers_rounds_as_decimal_does():
    """A sheet's percents come from whole tenths (scoring.mean_of_tenths); every mean of up to
    40 percents, halves included, must equal the Decimal rounding the contract specifies."""
    for count in range(1, 41):
        for tenths in [*range(0, 1001 * count, 7), 1000 * count, 5, 15, 25, -5, -15, -1]:
            expected = scoring.round_1(Decimal(tenths) / count / 10)
            assert scoring.mean_of_tenths(tenths, count) == expected, (tenths, count)

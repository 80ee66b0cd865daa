"""The limits on numbers, JSON depth and dates, as pure functions."""

from datetime import UTC, date, datetime

import pytest

from inspector.inputs import JsonTooDeepError, parse_json
from inspector.limits import MAX_ID, json_fault, parse_int, shorten
from inspector.periods import (
    FIRST_DAY,
    LAST_DAY,
    OutOfRangeError,
    last_periods,
    parse_day,
    parse_period,
    parse_timestamp,
)


@pytest.mark.parametrize("text, value", [("1", 1), (str(MAX_ID), MAX_ID), (" 42 ", 42)])
def test_parse_int_reads_ids(text, value):
    assert parse_int(text) == value


@pytest.mark.parametrize(
    "text", ["0", "-1", str(MAX_ID + 1), "9" * 5000, "٣", "1_000", "1e3", "", "x", "+-1"]
)
def test_parse_int_refuses_what_is_no_id(text):
    with pytest.raises(ValueError):
        parse_int(text)


def test_parse_int_honours_other_bounds():
    assert parse_int("-5", -10, 10) == -5
    with pytest.raises(ValueError):
        parse_int("11", -10, 10)


@pytest.mark.parametrize("depth, fault", [(32, None), (33, "depth")])
def test_json_depth(depth, fault):
    document = 1
    for _ in range(depth):
        document = [document]
    assert json_fault(document) == fault


@pytest.mark.parametrize(
    "document", [{"a": "x\x00"}, {"a\x00": 1}, [["\x00"]], {"a": "\ud800"}, {"\udfff": 1}]
)
def test_json_with_text_no_database_takes(document):
    assert json_fault(document) == "text"


@pytest.mark.parametrize("text", ["[" * 100_000, '{"a":' * 40 + "1" + "}" * 40])
def test_parse_json_refuses_deep_documents(text):
    with pytest.raises(JsonTooDeepError):
        parse_json(text)


def test_shorten_marks_the_cut():
    assert shorten("abc", 5) == "abc"
    assert shorten("abcdefgh", 5) == "abcd…"


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"])
def test_days_outside_the_range_are_refused(text):
    with pytest.raises(OutOfRangeError):
        parse_day(text)


def test_days_at_the_ends_of_the_range_are_read():
    assert parse_day("2000-01-01") == FIRST_DAY and parse_day("2100-12-31") == LAST_DAY


@pytest.mark.parametrize(
    "text", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-23:59", "9999-12-31T23:59:59"]
)
def test_times_outside_the_range_are_refused_not_overflowed(text):
    with pytest.raises(ValueError):
        parse_timestamp(text, "Asia/Shanghai")


def test_extreme_offsets_inside_the_range_are_converted():
    moment = parse_timestamp("2100-12-31T23:59:59-23:59", "Asia/Shanghai")
    assert moment == datetime(2101, 1, 1, 23, 58, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    "key", ["0001-W01", "9999", "0001-01-01..0001-01-07", "9999-Q4", "2100-W52"]
)
def test_periods_outside_the_range_are_refused(key):
    with pytest.raises(ValueError):
        parse_period(key)


def test_a_dozen_periods_back_from_the_first_year_are_computed():
    periods = last_periods(parse_period("2000-01-01..2100-12-31"), 12)
    assert periods[-1].first == date(2000, 1, 1) and periods[0].first.year < 2000

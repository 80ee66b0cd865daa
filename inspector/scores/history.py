"""A score sheet with each department's change since the previous period and its trend."""

from inspector.periods import last_periods
from inspector.scores.cache import memoize
from inspector.scores.closing import score_sheet

TREND_PERIODS = 12


def sheet_with_history(period, final, settings):
    """The sheet for `period`, each row with `change`, `rank_change` and `trend` added.

    Cached until the data changes (inspector.scores.cache): do not modify the answer.
    """
    return memoize(
        ("sheet_with_history", period.first, period.last, period.kind, final),
        lambda: compute_sheet_with_history(period, final, settings),
    )


def compute_sheet_with_history(period, final, settings):
    periods = last_periods(period, TREND_PERIODS)
    sheets = [score_sheet(p.first, p.last, final, settings) for p in periods]
    by_period = [{row["department"]: row for row in sheet["departments"]} for sheet in sheets]
    before = by_period[-2] if len(sheets) > 1 else {}
    # New rows: the sheets themselves are shared through the cache.
    rows = [
        with_history(row, before.get(row["department"]), by_period)
        for row in sheets[-1]["departments"]
    ]
    return {**sheets[-1], "departments": rows, "periods": [p.key for p in periods]}


def with_history(row, old, by_period):
    return {
        **row,
        "change": difference(row["percent"], old["percent"] if old else None),
        "rank_change": old["rank"] - row["rank"] if old and old["rank"] and row["rank"] else None,
        "trend": [p.get(row["department"], {}).get("percent") for p in by_period],
    }


def difference(now, then):
    if now is None or then is None:
        return None
    return round(now - then, 1)

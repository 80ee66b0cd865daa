"""A score sheet with each department's change since the previous period and its trend."""

from inspector.periods import last_periods
from inspector.scores.closing import score_sheet

TREND_PERIODS = 12


def sheet_with_history(period, final, settings):
    """The sheet for `period`, each row with `change`, `rank_change` and `trend` added."""
    periods = last_periods(period, TREND_PERIODS)
    sheets = [score_sheet(p.first, p.last, final, settings) for p in periods]
    current, previous = sheets[-1], sheets[-2] if len(sheets) > 1 else None
    by_period = [{row["department"]: row for row in sheet["departments"]} for sheet in sheets]
    before = by_period[-2] if previous else {}
    for row in current["departments"]:
        old = before.get(row["department"])
        row["change"] = difference(row["percent"], old["percent"] if old else None)
        row["rank_change"] = (
            old["rank"] - row["rank"] if old and old["rank"] and row["rank"] else None
        )
        row["trend"] = [p.get(row["department"], {}).get("percent") for p in by_period]
    current["periods"] = [p.key for p in periods]
    return current


def difference(now, then):
    if now is None or then is None:
        return None
    return round(now - then, 1)

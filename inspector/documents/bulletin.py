"""What a 通报 (bulletin) says for a period: the score sheet's numbers and what lies behind them.

The ranking is the score sheet itself (inspector.scores.closing.score_sheet), so every
document shows the same departments, percents, grades and ranks as /api/v1/scores.
"""

from sqlalchemy import select

from inspector.extensions import db
from inspector.findings.queries import open_counts
from inspector.models import Department
from inspector.periods import period_of_days
from inspector.scores.closing import score_sheet
from inspector.scores.history import difference
from inspector.scores.hotspots import failed_responses, hot_spots

FAILING_ITEMS = 5


def bulletin(user, first, last, final, settings, today, number=""):
    """Everything a bulletin for first..last shows, as `user` may see it (their photos)."""
    period = period_of_days(first, last)
    sheet = score_sheet(first, last, final, settings)
    earlier = period.previous()
    before = score_sheet(earlier.first, earlier.last, final, settings)
    rows = department_rows(sheet, before, today)
    ranked = [row for row in rows if row["rank"] is not None]
    lowest = max((row["rank"] for row in ranked), default=None)
    return {
        "org_name": settings["ORG_NAME"],
        "number": number,
        "period": period,
        "final": final,
        "sheet": sheet,
        "rows": rows,
        "best": [row for row in ranked if row["rank"] == 1],
        # One ranked department is the best, not also the worst.
        "worst": [row for row in ranked if row["rank"] == lowest and lowest > 1],
        "vetoed": [row for row in rows if row["vetoed"]],
        "failing": failing_items(user, first, last, settings),
        "issued": today,
    }


def department_rows(sheet, before, today):
    """The sheet's rows (new dicts: the sheet is cached) with change and findings added."""
    old = {row["department"]: row for row in before["departments"]}
    ids = dict(db.session.execute(select(Department.code, Department.id)).all())
    findings = open_counts(today)
    rows = []
    for row in sheet["departments"]:
        previous = old.get(row["department"])
        still_open, overdue = findings.get(ids.get(row["department"]), (0, 0))
        rows.append(
            {
                **row,
                "change": difference(row["percent"], previous["percent"] if previous else None),
                "open_findings": still_open,
                "overdue_findings": overdue,
            }
        )
    return rows


def failing_items(user, first, last, settings, limit=FAILING_ITEMS):
    """The items failed most often, each with one photo of a failure `user` may see."""
    items = []
    for spot in hot_spots(first, last, settings, limit=limit):
        responses = failed_responses(user, spot["checklist"], spot["item"], first, last, settings)
        photo = next((r.photos[0].photo for r in responses if r.photos), None)
        where = responses[0].inspection.site.name if responses else ""
        items.append({**spot, "photo": photo, "site": where})
    return items


def change_text(change):
    """A change in points as a bulletin prints it: +1.5, −2.0, 0.0, or — when unknown."""
    if change is None:
        return "—"
    if change > 0:
        return f"+{change:.1f}"
    return f"−{-change:.1f}" if change < 0 else "0.0"

"""Plan against done: a round's assignments counted by status, per inspector and per
department."""

from collections import Counter, defaultdict

COLUMNS = ("assigned", "done", "unable", "refused", "open", "overdue")


def tally(rows) -> dict:
    """Counts of rows shaped like assignment_json: assigned, done, unable, refused, open,
    overdue (open after the last day)."""
    counts = Counter({column: 0 for column in COLUMNS})
    for row in rows:
        counts["assigned"] += 1
        counts[row["status"]] += 1
        counts["overdue"] += row["overdue"]
    return dict(counts)


def progress(rows) -> dict:
    """{"total": tally, "inspectors": [(username, tally)], "departments": [(code, tally)]}."""
    by_inspector, by_department = defaultdict(list), defaultdict(list)
    for row in rows:
        by_inspector[row["inspector"]].append(row)
        by_department[row["department"]].append(row)
    return {
        "total": tally(rows),
        "inspectors": [(name, tally(group)) for name, group in sorted(by_inspector.items())],
        "departments": [(code, tally(group)) for code, group in sorted(by_department.items())],
    }


def by_week(rows, weeks) -> list:
    """[(week, tally, progress of that week)] for `weeks` (oldest first): each assignment
    counts in the week of its round's last day, its deadline."""
    answer = []
    for week in weeks:
        inside = [
            row for row in rows if week.first.isoformat() <= row["to"] <= week.last.isoformat()
        ]
        answer.append((week, tally(inside), progress(inside)))
    return answer

"""Read-only queries behind the findings screens and the score sheet."""

import functools

from sqlalchemy import Date, bindparam, case, func, select

from inspector.extensions import db
from inspector.findings.permissions import visible_findings
from inspector.models import Department, Finding, FindingStatus

GROUP_ORDER = ("to_verify", "overdue", "open", "fixed", "closed")


def finding_groups(user, today, department_id=None):
    """The user's findings in groups to act on: overdue first for leads, fixes to verify
    first for reviewers."""
    stmt = visible_findings(user).order_by(Finding.due, Finding.id)
    if department_id is not None:
        stmt = stmt.where(Finding.department_id == department_id)
    groups = {name: [] for name in GROUP_ORDER}
    for finding in db.session.scalars(stmt.limit(1000)):
        groups[group_of(finding, today)].append(finding)
    if user.role == "lead":
        groups["fixed"] = groups.pop("to_verify") + groups["fixed"]
    else:
        groups.pop("fixed")
    groups["closed"] = groups["closed"][-30:][::-1]
    return [(name, items) for name, items in groups.items()]


def group_of(finding, today):
    if finding.status == FindingStatus.FIXED:
        return "to_verify"
    if finding.status == FindingStatus.CLOSED:
        return "closed"
    return "overdue" if finding.due and finding.due < today else "open"


def open_counts(today, by_code=False):
    """Per department id (or code): (findings not closed, of which overdue), for the sheet."""
    rows = db.session.execute(open_counts_query(by_code), {"today": today})
    return {dept: (count, int(late or 0)) for dept, count, late in rows}


@functools.cache
def open_counts_query(by_code):
    """Built once: the score sheet page runs it on every request."""
    today = bindparam("today", type_=Date)
    overdue = case(
        (Finding.status == FindingStatus.OPEN, case((Finding.due < today, 1), else_=0)), else_=0
    )
    key = Department.code if by_code else Finding.department_id
    return (
        select(key, func.count(), func.sum(overdue))
        .join(Department, Department.id == Finding.department_id)
        .where(Finding.status != FindingStatus.CLOSED)
        .group_by(key)
    )


def open_counts_by_code(today):
    """open_counts keyed by department code, as the score sheet and its exports show them."""
    return open_counts(today, by_code=True)

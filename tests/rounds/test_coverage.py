"""Plan against done, against hand counts: a past round with one site done, one refused and
two left open (overdue), per inspector, per department and by week."""

import uuid
from datetime import UTC, datetime

import pytest
from flask import current_app

from inspector.extensions import db
from inspector.models import AssignmentOutcome, AssignmentPhoto, Role
from inspector.periods import parse_period
from inspector.rounds.progress import by_week, progress
from inspector.rounds.serialize import assignments_json
from inspector.rounds.services import create_round
from tests import factories


@pytest.mark.both_databases
def test_counts_match_a_hand_count(client, login_as):
    a, b = factories.new_department(code="a"), factories.new_department(code="b")
    for code, department in (("a1", a), ("a2", a), ("b1", b), ("b2", b)):
        factories.new_site(department=department, code=code)
    ua = factories.new_user(Role.INSPECTOR, department=a, username="ua")
    ub = factories.new_user(Role.INSPECTOR, department=b, username="ub")
    checklist = factories.new_checklist()
    planner = login_as(Role.SUPERVISOR)
    round_, _ = create_round(planner, {
        "title": "W47", "template": checklist.id, "from": "2026-11-16", "to": "2026-11-20",
        "sites": ["a1", "a2", "b1", "b2"], "inspectors": ["ua", "ub"]})  # fmt: skip
    by_site = {x.site.code: x for x in round_.assignments}
    assert {by_site["a1"].inspector, by_site["a2"].inspector} == {ub}  # 回避: a's sites to ub
    # b1 done by ua on the Wednesday (local), a1 refused by ub; a2 and b2 left open.
    factories.new_inspection(by_site["b1"].site, 90.0, datetime(2026, 11, 18, 2, tzinfo=UTC),
                             checklist=checklist, inspector=ua)  # fmt: skip
    # One outside the dates does not count.
    factories.new_inspection(by_site["b2"].site, 90.0, datetime(2026, 11, 21, 2, tzinfo=UTC),
                             checklist=checklist, inspector=ua)  # fmt: skip
    refused = by_site["a1"]
    refused.outcome, refused.reason = AssignmentOutcome.REFUSED, "拒绝"
    refused.photos = [AssignmentPhoto(photo=factories.new_photo(ub))]
    db.session.commit()

    today = parse_period("2026-W48").first
    rows = assignments_json(round_.assignments, current_app.config, today)
    counts = progress(rows)
    assert counts["total"] == {"assigned": 4, "done": 1, "unable": 0, "refused": 1, "open": 2,
                               "overdue": 2}  # fmt: skip
    assert dict(counts["inspectors"])["ua"] == {"assigned": 2, "done": 1, "unable": 0,
                                                "refused": 0, "open": 1, "overdue": 1}  # fmt: skip
    assert dict(counts["departments"])["a"]["refused"] == 1
    weeks = [parse_period("2026-W47"), parse_period("2026-W48")]
    [(_w47, tally47, _), (_w48, tally48, _)] = by_week(rows, weeks)
    assert tally47["assigned"] == 4 and tally48["assigned"] == 0

    page = client.get("/rounds/coverage?week=2026-W47")
    assert page.status_code == 200 and "1 / 4" in page.text
    assert client.get(f"/rounds/{round_.uuid}").status_code == 200
    assert client.get("/rounds/coverage?week=nonsense").status_code == 200
    assert uuid.UUID(round_.uuid)


def test_earlier_weeks_put_their_days_under_their_names(client, login_as):
    login_as(Role.SUPERVISOR)
    page = client.get("/rounds/coverage?week=2026-W48", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200
    # In a narrow column the days go under the name whole, never "(11" / "月16日…".
    assert '2026年第47周 <span class="period-days">11月16日–11月22日</span>' in page.text

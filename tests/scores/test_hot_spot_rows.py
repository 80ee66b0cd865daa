"""Hot spots name their checklist, group an item across versions, sort by a stated rule and
are never drawn green."""

import copy
import re
from datetime import UTC, datetime
from pathlib import Path

from inspector.checklists.services import save_checklist
from inspector.demo.checklists import OFFICE_WEEKLY
from inspector.extensions import db
from inspector.models import Response, Role, User
from inspector.scores.hotspots import hot_spots
from tests import factories

WEEK = {"first": datetime(2026, 11, 23).date(), "last": datetime(2026, 11, 29).date()}
SETTINGS = {"TIMEZONE": "Asia/Shanghai"}


def answered(checklist, site, answers):
    """A submitted inspection with (key, failed) answers, all by one inspector (a new user
    per inspection would hash a password each time)."""
    inspector = db.session.query(User).filter_by(username="hot-spotter").one_or_none()
    inspection = factories.new_inspection(
        site,
        50,
        datetime(2026, 11, 24, 2, tzinfo=UTC),
        checklist=checklist,
        inspector=inspector or factories.new_user(username="hot-spotter"),
    )
    items = {item.key: item for item in checklist.items}
    inspection.responses = [
        Response(item=items[key], answer="x", failed=failed, possible=1, earned=0)
        for key, failed in answers
    ]
    return inspection


def setup_week():
    site = factories.new_site(code="A-1")
    first = save_checklist(None, OFFICE_WEEKLY)
    renamed = copy.deepcopy(OFFICE_WEEKLY)
    renamed["name"] = "办公环境周检（新）"
    litter = next(i for s in renamed["sections"] for i in s["items"] if i["key"] == "litter")
    litter["text"] = "乱丢乱扔，每处扣1分，扣完为止（新）"
    second = save_checklist(None, renamed)
    # litter fails in v1 and in v2: one row, 2 failures of 6 checks.
    answered(first, site, [("litter", True), ("smoking", True), ("windows", False)])
    answered(second, site, [("litter", True), ("smoking", False), ("windows", True)])
    for _ in range(3):
        answered(second, site, [("litter", False), ("smoking", False), ("windows", False)])
    answered(second, site, [("litter", False), ("smoking", False), ("windows", False)])
    db.session.commit()


def test_one_row_per_item_across_versions_named_by_the_newest(app):
    setup_week()
    spots = hot_spots(WEEK["first"], WEEK["last"], SETTINGS)
    litter = [s for s in spots if s["item"] == "litter"]
    assert len(litter) == 1
    assert litter[0]["text"] == "乱丢乱扔，每处扣1分，扣完为止（新）"
    assert litter[0]["checklist_name"] == "办公环境周检（新）"
    assert (litter[0]["failures"], litter[0]["checked"]) == (2, 6)


def test_a_higher_failure_rate_comes_first(app):
    site = factories.new_site(code="B-1")
    checklist = save_checklist(None, OFFICE_WEEKLY)
    # smoking: 3 failures of 10 checks (30%); litter: 2 failures of 2 checks (100%).
    for n in range(10):
        answers = [("smoking", n < 3)] + ([("litter", True)] if n < 2 else [])
        answered(checklist, site, answers)
    db.session.commit()
    order = [s["item"] for s in hot_spots(WEEK["first"], WEEK["last"], SETTINGS)]
    assert order == ["litter", "smoking"]


def test_failures_are_drawn_in_the_error_colour_on_both_screens(client, login_as, app):
    setup_week()
    department = db.session.query(factories.Site).filter_by(code="A-1").one().department
    login_as(Role.SUPERVISOR)
    for url in (
        f"/scores/departments/{department.code}?period=2026-W48",
        "/scores/hotspots?period=2026-W48",
    ):
        html = client.get(url, headers={"Accept-Language": "en"}).text
        bars = re.findall(r"<progress[^>]*>", html)
        assert bars and all('class="fail-rate"' in bar for bar in bars), url
        assert "办公环境周检（新）" in html and "by the share of checks that failed" in html
    css = Path("static/css/app.css").read_text()
    rule = re.search(r"^([^{\n]*progress\.fail-rate[^{]*)\{([^}]*)\}", css, re.MULTILINE)
    assert rule and "var(--err)" in rule.group(2) and ".card progress.fail-rate" in rule.group(1)

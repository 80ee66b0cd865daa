"""Rounds on the phone with no signal: an assignment fulfilled by an inspection made offline,
another closed as refused with its reason and photo, both arriving once the network is back."""

import re
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from inspector.clock import local_now
from inspector.extensions import db
from inspector.models import Assignment, Checklist, Round, User
from inspector.rounds.services import create_round
from inspector.rounds.status import statuses
from tests.browser.test_offline import camera_photo, open_home  # noqa: F401 (a fixture)
from tests.browser.test_phone_screens import sign_in

SITES = ["A-302", "C-101"]


def plan(app, title="今日抽查", sites=SITES, days_ahead=0):
    with app.app_context():
        checklist = db.session.scalar(
            select(Checklist).where(Checklist.code == "office-weekly", Checklist.is_current)
        )
        planner = db.session.scalar(select(User).where(User.username == "supervisor"))
        day = (local_now().date() + timedelta(days=days_ahead)).isoformat()
        round_, _ = create_round(planner, {
            "title": title, "template": checklist.id, "from": day, "to": day,
            "sites": sites, "inspectors": ["inspector2"]})  # fmt: skip
        db.session.commit()
        ids = {a.site.code: a.uuid for a in round_.assignments}
        db.session.remove()
        return ids


def server_statuses(app, ids):
    with app.app_context():
        assignments = db.session.scalars(
            select(Assignment).where(Assignment.uuid.in_(ids.values()))
        ).all()
        found = statuses(assignments, app.config)
        answer = {a.site.code: found[a.id][0] for a in assignments}
        db.session.remove()
        return answer


def test_assignments_done_and_refused_offline(page, context, live_app, camera_photo):  # noqa: F811
    ids = plan(live_app)
    later = plan(live_app, "明日抽查", ["B-102"], days_ahead=1)["B-102"]
    sign_in(page, "inspector2")
    open_home(page)
    context.set_offline(True)
    page.reload()
    done, refused = (page.locator(f'[data-assignment="{ids[code]}"]') for code in SITES)
    expect(done).to_have_attribute("data-status", "open")
    shows_upcoming_after(page, later, [ids[code] for code in SITES])

    # The first: its inspection, started from the assignment, made and submitted offline.
    done.locator("a").click()
    page.locator('[data-action="start-assignment"]').click()
    expect(page.locator("[data-item]").first).to_be_visible()
    for item in page.locator("[data-item]").all():
        if item.locator('[data-answer="pass"]').count():
            item.locator('[data-answer="pass"]').click()
    page.locator('[data-action="submit"]').click()
    expect(page).to_have_url(re.compile(r"/review$"))
    page.locator('[data-action="submit"]').click()
    expect(page).to_have_url(re.compile(r"/field/inspections/[0-9a-f-]+$"))
    page.goto("/")
    expect(done).to_have_attribute("data-status", "done")

    # The second: refused, which needs a reason and a photo.
    refused.locator("a").click()
    page.locator('[data-outcome="refused"]').click()
    page.locator('[data-action="submit"]').click()
    expect(page.get_by_role("alert")).to_have_text("请说明无法检查的原因。")
    page.locator("textarea[name=reason]").fill("门卫拒绝入内")
    page.locator('[data-action="submit"]').click()
    expect(page.get_by_role("alert")).to_have_text("请拍一张照片作为证据。")
    page.locator("input[type=file]").set_input_files(str(camera_photo))
    expect(page.locator(".thumb img[src^='blob:']")).to_be_visible()
    page.locator('[data-action="submit"]').click()
    expect(page.locator("html")).to_have_attribute("data-pending", "2")
    assert server_statuses(live_app, ids) == {"A-302": "open", "C-101": "open"}

    context.set_offline(False)
    expect(page.locator("html")).to_have_attribute("data-sync-state", "sent", timeout=20000)
    assert server_statuses(live_app, ids) == {"A-302": "done", "C-101": "refused"}
    with live_app.app_context():
        closed = db.session.scalar(select(Assignment).where(Assignment.uuid == ids["C-101"]))
        assert closed.reason == "门卫拒绝入内" and len(closed.photos) == 1
        assert db.session.scalar(select(Round.title).where(Round.id == closed.round_id))
        db.session.remove()


def shows_upcoming_after(page, later, today):
    """Tomorrow's round is not work to do now: it says so, and comes after today's."""
    expect(page.locator(f'[data-assignment="{later}"] .tag')).to_have_text("未开始")
    order = page.locator("[data-assignment]").evaluate_all(
        "rows => rows.map(r => r.dataset.assignment)"
    )
    assert order.index(later) > max(order.index(uuid) for uuid in today)

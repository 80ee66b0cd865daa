"""申诉 on phones: a lead appeals a deduction with a photo from the field app, offline, a
supervisor overturns it from the queue, and the department's line on the score sheet changes."""

from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from inspector.extensions import db
from inspector.models import Appeal, Inspection, InspectionStatus, Response, User
from inspector.periods import local_date, period_containing
from tests.browser.test_phone_screens import sign_in
from tests.images import jpeg_bytes


def failed_check(live_app):
    """A recent demo inspection with a failed check item, of a department that has a lead."""
    with live_app.app_context():
        since = datetime.now(UTC) - timedelta(days=2)
        rows = db.session.execute(
            select(Inspection, Response)
            .join(Response, Response.inspection_id == Inspection.id)
            .where(
                Inspection.submitted_at > since,
                Inspection.status.in_([InspectionStatus.SUBMITTED, InspectionStatus.APPROVED]),
                Response.failed,
            )
            .order_by(Inspection.submitted_at.desc())
        ).all()
        appealed = set(db.session.execute(select(Appeal.inspection_id, Appeal.item_id)).all())
        for inspection, response in rows:
            if response.answer != "fail" or (inspection.id, response.item_id) in appealed:
                continue
            lead = f"lead-{inspection.department.code}"
            if db.session.scalar(select(User.id).where(User.username == lead)):
                week = period_containing(
                    local_date(inspection.submitted_at, "Asia/Shanghai"), "week"
                )
                return (
                    inspection.uuid,
                    response.item.key,
                    inspection.department.code,
                    lead,
                    week.key,
                )
    raise AssertionError("the demo data has no recent failed check")


def appeal_offline(page, live_app, uuid, item, photo):
    """From the lead's field home, with no network: the appeal waits, then goes when online."""
    page.locator(f'[data-deduction="{uuid}/{item}"] a').click()
    expect(page.locator("#as-inspected")).to_contain_text("不合格")
    page.context.set_offline(True)  # no signal in the corridor: kept on the phone
    page.locator("textarea[name=reason]").fill("当时是来访人员，已当场劝离")
    page.locator("input[type=file]").set_input_files(str(photo))
    expect(page.locator(".thumb img")).to_be_visible()
    page.locator('[data-action="submit"]').click()
    html = page.locator("html")
    expect(html).to_have_attribute("data-sync-state", "waiting")
    expect(html).to_have_attribute("data-pending", "1")
    page.context.set_offline(False)
    expect(html).to_have_attribute("data-sync-state", "sent", timeout=15000)
    with live_app.app_context():
        appeal = db.session.scalar(select(Appeal).join(Inspection).where(Inspection.uuid == uuid))
        assert (appeal.reason, len(appeal.photos), appeal.item.key) == (
            "当时是来访人员，已当场劝离",
            1,
            item,
        )
        ident = appeal.uuid
        db.session.remove()
    return ident


def overturn(review, appeal):
    """From the supervisor's home to the queue and the ruling: the item beside the appeal."""
    review.goto("/")
    review.get_by_role("link", name="项申诉待裁定").click()
    review.locator(f'[data-appeal="{appeal}"] a').click()
    expect(review.locator("#as-inspected")).to_contain_text("不合格")
    expect(review.locator("#the-appeal")).to_contain_text("当时是来访人员")
    expect(review.locator("#the-appeal img")).to_have_count(1)
    review.get_by_label("合格").check()
    review.get_by_label("裁定意见（改判时必填）").fill("复核照片，改判合格")
    review.locator('[data-action="overturn"]').click()
    expect(review.locator("[data-appeal-status]")).to_have_attribute(
        "data-appeal-status", "overturned"
    )


def test_lead_appeals_offline_supervisor_overturns_sheet_follows(
    page, browser, base_url, live_app, tmp_path
):
    uuid, item, department, lead, week = failed_check(live_app)
    photo = tmp_path / "evidence.jpg"
    photo.write_bytes(jpeg_bytes((1200, 900), (90, 90, 200)))
    sign_in(page, lead)  # the field app's home: deductions the lead may still appeal
    appeal = appeal_offline(page, live_app, uuid, item, photo)

    boss = browser.new_context(
        base_url=base_url, viewport={"width": 390, "height": 844}, is_mobile=True,
        has_touch=True, locale="zh-CN",
    )  # fmt: skip
    review = boss.new_page()
    sign_in(review, "supervisor")
    review.goto(f"/scores/?period={week}")
    line = review.locator("ol.ranking li", has=review.locator(f'[data-provisional="{department}"]'))
    expect(line).to_have_count(1)  # provisional while the appeal is pending
    before = float(line.locator(".pct").inner_text().rstrip("%"))
    overturn(review, appeal)
    review.goto(f"/scores/?period={week}")
    expect(review.locator(f'[data-provisional="{department}"]')).to_have_count(0)
    link = review.locator(f'ol.ranking li a[href*="/scores/departments/{department}"]')
    assert float(link.locator(".pct").inner_text().rstrip("%")) > before
    page.goto(f"/inspections/{uuid}")  # the lead sees the ruling as an amendment
    expect(page.locator(f'[data-amendment="{item}"]')).to_be_visible()
    boss.close()


def test_lead_withdraws_an_appeal_with_no_signal(page, live_app, tmp_path):
    uuid, item, _department, lead, _week = failed_check(live_app)
    photo = tmp_path / "evidence.jpg"
    photo.write_bytes(jpeg_bytes((1200, 900), (90, 200, 90)))
    sign_in(page, lead)
    appeal = appeal_offline(page, live_app, uuid, item, photo)
    page.goto("/")  # the department's appeals: the lead's own opens on the phone
    page.locator("details[data-group=appeals] summary").click()
    page.locator(f'[data-appeal="{appeal}"] a').click()
    expect(page.locator("[data-appeal-status]")).to_have_attribute("data-appeal-status", "pending")
    page.context.set_offline(True)
    page.get_by_text("撤回申诉").first.click()  # opens the confirmation
    expect(page.locator("#withdraw")).to_contain_text("撤回后扣分维持")
    page.locator('[data-action="withdraw"]').click()
    html = page.locator("html")
    expect(page.locator("#withdrawal")).to_have_attribute("data-state", "waiting")
    expect(html).to_have_attribute("data-pending", "1")
    with live_app.app_context():
        assert db.session.scalar(select(Appeal.status).where(Appeal.uuid == appeal)) == "pending"
        db.session.remove()
    page.context.set_offline(False)
    expect(page.locator("#withdrawal")).to_have_attribute("data-state", "sent", timeout=15000)
    expect(html).to_have_attribute("data-sync-state", "sent")
    with live_app.app_context():
        assert db.session.scalar(select(Appeal.status).where(Appeal.uuid == appeal)) == "withdrawn"
        db.session.remove()
    page.goto("/")
    expect(page.locator(f'[data-appeal="{appeal}"]')).to_have_attribute("data-status", "withdrawn")

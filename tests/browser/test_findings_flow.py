"""整改 on phones: a lead proves a fix with an after photo, a supervisor checks the pair."""

import re

from playwright.sync_api import expect

from tests.browser.test_phone_screens import sign_in
from tests.images import jpeg_bytes


def test_lead_fixes_and_supervisor_accepts(page, browser, base_url, tmp_path):
    after = tmp_path / "after.jpg"
    after.write_bytes(jpeg_bytes((1200, 900), (40, 140, 60)))
    sign_in(page, "lead-property")
    page.get_by_role("link", name="整改", exact=True).click()
    row = page.locator("[data-finding]").first
    uuid = row.get_attribute("data-finding")
    title = row.locator("strong").inner_text()
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    page.locator("input[type=file]").set_input_files(str(after))
    expect(page.locator(".thumb img")).to_be_visible()
    page.get_by_role("textbox").fill("已清理干净")
    page.get_by_role("button", name="提交整改").click()
    expect(page.locator("html")).to_have_attribute("data-sync-state", "sent", timeout=15000)
    expect(page.locator(".record-state")).to_have_text("已发送：服务器已收到。")  # said once
    expect(page.get_by_text(re.compile("^已整改：等待验收"))).to_be_visible()  # what comes next
    # Where the fix is comes first, not between the before photos and the after.
    state = page.locator(".record-state").bounding_box()
    assert state["y"] < page.get_by_role("heading", name="整改后").bounding_box()["y"]

    boss = browser.new_context(
        base_url=base_url,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
    )
    review = boss.new_page()
    sign_in(review, "supervisor")
    review.goto(f"/findings/{uuid}")
    expect(review.get_by_role("heading", name=title)).to_be_visible()
    pair = review.locator(".pairs figure")
    expect(pair).to_have_count(2)
    expect(pair.nth(1).locator("img")).to_be_visible()
    before_box, after_box = (pair.nth(i).bounding_box() for i in range(2))
    assert abs(before_box["y"] - after_box["y"]) < 2  # side by side, not stacked
    review.get_by_role("button", name="通过验收").click()
    expect(review.get_by_role("status")).to_have_text("整改已验收，问题已销号。")
    expect(review.locator(".tag.finding-closed").first).to_have_text(re.compile("已销号"))
    boss.close()


def test_the_web_fix_form_sends_a_photo_shrunk_on_the_phone(page, live_app, tmp_path):
    """The web page of a finding still takes a fix with a plain form post: its photo is shrunk
    on the phone too (static/js/shrink-form.js), not sent as the camera made it."""
    from sqlalchemy import select

    from inspector.extensions import db
    from inspector.models import Finding, FindingStatus

    camera = tmp_path / "IMG_4000.JPG"
    camera.write_bytes(jpeg_bytes((4000, 3000), (90, 120, 160)))
    with live_app.app_context():
        uuid = db.session.scalar(
            select(Finding.uuid).where(Finding.status == FindingStatus.OPEN).limit(1)
        )
        db.session.remove()
    sign_in(page, "supervisor")
    page.goto(f"/findings/{uuid}")
    page.locator("#fix input[type=file]").set_input_files(str(camera))
    expect(page.locator("#fix .shrink-state")).to_contain_text("已在本机压缩")
    page.fill("#note", "已清理")
    page.get_by_role("button", name="提交整改").click()
    expect(page.get_by_role("status")).to_have_text("已提交整改，等待验收。")
    with live_app.app_context():
        finding = db.session.scalar(select(Finding).where(Finding.uuid == uuid))
        [after] = [link.photo for link in finding.photos if link.stage == "after"]
        assert (after.width, after.height) == (1600, 1200)
        db.session.remove()

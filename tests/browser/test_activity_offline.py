"""活动记录 on a phone with no signal: recorded in a minute, kept, sent once the network is back."""

from playwright.sync_api import expect
from sqlalchemy import select

from inspector.extensions import db
from inspector.models import Activity
from tests.browser.test_phone_screens import sign_in
from tests.images import jpeg_bytes


def test_a_lead_records_an_activity_offline(page, context, live_app, tmp_path):
    photo = tmp_path / "cleanup.jpg"
    photo.write_bytes(jpeg_bytes((1600, 1200), (60, 120, 60)))
    sheet = tmp_path / "签到表.pdf"
    sheet.write_bytes(b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\n%%EOF")
    sign_in(page, "lead-security")
    expect(page.locator('[data-action="record-activity"]')).to_be_visible()
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # under the service worker: the shell and the field data are kept
    expect(page.locator('[data-action="record-activity"]')).to_be_visible()
    context.set_offline(True)
    page.reload()
    page.locator('[data-action="record-activity"]').click()
    page.locator('[data-action="submit"]').click()
    expect(page.get_by_text("请填写活动标题和日期。")).to_be_visible()
    page.locator("select[name=kind]").select_option("cleanup")
    page.fill("input[name=title]", "保卫科周四大扫除")
    page.fill("input[name=participants]", "9")
    page.fill("input[name=place]", "值班室")
    page.locator(".camera input[type=file]").set_input_files(str(photo))
    expect(page.locator(".thumb img[src^='blob:']")).to_be_visible()
    page.locator("input[name=documents]").set_input_files(str(sheet))  # a document, offline
    expect(page.locator("[data-document]")).to_contain_text("签到表.pdf")
    expect(page.locator("[data-document]")).to_have_attribute("data-document-state", "on-phone")
    page.locator('[data-action="submit"]').click()
    html = page.locator("html")
    expect(html).to_have_attribute("data-sync-state", "waiting")
    expect(html).to_have_attribute("data-pending", "1")
    uuid = page.url.rsplit("/", 1)[-1]
    context.set_offline(False)
    expect(html).to_have_attribute("data-sync-state", "sent", timeout=15000)
    expect(html).to_have_attribute("data-pending", "0")
    with live_app.app_context():
        activity = db.session.scalar(select(Activity).where(Activity.uuid == uuid))
        assert activity.title == "保卫科周四大扫除" and activity.participants == 9
        assert activity.department.code == "security" and activity.kind.code == "cleanup"
        assert len(activity.photos) == 1
        [document] = [link.file for link in activity.files]
        assert (document.name, document.media_type) == ("签到表.pdf", "application/pdf")
        db.session.remove()

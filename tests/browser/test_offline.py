"""The field app with no signal: work is kept on the phone and arrives exactly once."""

import io
import random
import re

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import func, select

from inspector.extensions import db
from inspector.models import Finding, FindingStatus, Inspection, Photo, Response, ResponsePhoto
from tests.browser.test_phone_screens import sign_in

SITE = "行政中心B区102 工程部"


@pytest.fixture(scope="module")
def camera_photo(tmp_path_factory):
    """A 4000×3000 phone-sized JPEG with detail, about as heavy as a real one."""
    rng = random.Random(7)
    small = Image.new("RGB", (400, 300))
    small.putdata(
        [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(400 * 300)]
    )
    path = tmp_path_factory.mktemp("camera") / "IMG_0001.JPG"
    buffer = io.BytesIO()
    small.resize((4000, 3000), Image.Resampling.BICUBIC).save(buffer, "JPEG", quality=92)
    path.write_bytes(buffer.getvalue())
    return path


def open_field_app(page):
    """Open the field app online once: the service worker and the data are then on the phone."""
    page.goto("/field/")
    expect(page.locator(".field-sites")).to_be_visible()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the service worker's control
    expect(page.locator(".field-sites")).to_be_visible()


def answer_everything(page, fail_key):
    """Pass every check, 0 on every stepper; fail `fail_key`."""
    expect(page.locator(".item-card").first).to_be_visible()  # .all() does not wait
    for card in page.locator(".item-card").all():
        kind = card.get_attribute("data-type")
        if kind == "check":
            card.locator("label.seg-pass").click()
        elif kind in ("scale", "deduct"):
            card.locator(".stepper button").first.click()  # "−" on an empty box: 0
    page.locator(f"#item-{fail_key} label.seg-fail").click()


def inspect_offline(page, photo, fail_key="desk-dust"):
    """Start, answer and submit an inspection with a photo; answer its uuid."""
    page.locator(".field-sites a", has_text=SITE).click()
    page.get_by_role("button", name="办公环境周检").click()
    expect(page.locator(".item-card").first).to_be_visible()
    answer_everything(page, fail_key)
    expect(page.locator(f"#item-{fail_key}")).to_have_class(re.compile(r"\bfailed\b"))
    page.locator(f"#item-{fail_key} input[type=file]").set_input_files(str(photo))
    expect(page.locator(f"#item-{fail_key} .thumb img[src^='blob:']")).to_be_visible()
    page.live_score = page.locator(".live-score").inner_text()
    page.get_by_role("button", name="提交", exact=True).click()
    row = page.locator(".field-local li").first
    expect(row).to_have_attribute("data-state", "waiting")
    return row.get_attribute("data-uuid")


def stored(app, uuid):
    """The inspection, its photos and how many inspections have this uuid."""
    with app.app_context():
        count = db.session.scalar(select(func.count()).where(Inspection.uuid == uuid))
        inspection = db.session.scalar(select(Inspection).where(Inspection.uuid == uuid))
        photos = []
        if inspection is not None:
            photos = db.session.scalars(
                select(Photo)
                .join(ResponsePhoto, ResponsePhoto.photo_id == Photo.id)
                .join(Response, Response.id == ResponsePhoto.response_id)
                .where(Response.inspection_id == inspection.id)
            ).all()
            inspection = (str(inspection.status), inspection.percent)
        db.session.remove()
        return count, inspection, [(p.width, p.height, p.size) for p in photos]


def test_a_whole_round_offline_is_sent_once_when_back_online(page, context, live_app, camera_photo):
    sign_in(page, "inspector2")
    open_field_app(page)
    context.set_offline(True)
    page.reload()  # no network at all: the shell, sites and checklists come from the phone
    expect(page.locator("#sync .sync-text")).to_contain_text("离线")
    uuid = inspect_offline(page, camera_photo)
    shown = page.live_score
    expect(page.locator("#sync .sync-text")).to_have_text("离线：1 项等待发送")

    page.close()  # the app is closed and opened again, still without signal
    page = context.new_page()
    page.goto("/field/")
    row = page.locator(f".field-local li[data-uuid='{uuid}']")
    expect(row).to_have_attribute("data-state", "waiting")
    expect(row).to_contain_text("等待发送")
    assert stored(live_app, uuid)[0] == 0

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(row).to_have_attribute("data-state", "sent", timeout=15000)
    expect(page.locator("#sync .sync-text")).to_have_text("已全部发送")
    count, inspection, photos = stored(live_app, uuid)
    assert count == 1
    assert inspection[0] == "submitted" and f"{inspection[1]}%" == shown  # as the phone said
    # The phone sent its shrunk copy: longest edge 1600, a few hundred KB, not the 4000 px file.
    assert [(w, h) for w, h, _ in photos] == [(1600, 1200)]
    assert photos[0][2] < camera_photo.stat().st_size / 3

    page.reload()  # opening the app again sends nothing twice
    expect(page.locator("#sync .sync-text")).to_have_text("已全部发送")
    assert stored(live_app, uuid)[0] == 1


def test_a_connection_cut_mid_upload_loses_and_doubles_nothing(page, live_app, camera_photo):
    sign_in(page, "inspector2")
    open_field_app(page)
    cuts = {"photo": 0, "inspection": 0}

    def cut_once(kind):
        def handler(route):
            if route.request.method == "PUT" and not cuts[kind]:
                cuts[kind] += 1
                route.fetch()  # the server receives and stores it...
                route.abort("connectionreset")  # ...and the phone never hears back
            else:
                route.continue_()

        return handler

    photos_before = photo_count(live_app)
    page.route("**/api/v1/photos/*", cut_once("photo"))
    page.route("**/api/v1/inspections/*", cut_once("inspection"))
    uuid = inspect_offline(page, camera_photo, fail_key="documents")
    row = page.locator(f".field-local li[data-uuid='{uuid}']")
    expect(row).to_have_attribute("data-state", "sent", timeout=30000)
    assert cuts == {"photo": 1, "inspection": 1}
    count, inspection, photos = stored(live_app, uuid)
    assert count == 1 and inspection[0] == "submitted" and len(photos) == 1
    # The photo stored before the cut is the one the inspection uses: no second copy.
    assert photo_count(live_app) == photos_before + 1


def photo_count(app):
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Photo))
        db.session.remove()
        return count


def test_a_stale_csrf_token_is_renewed_at_send_time(page, live_app, camera_photo):
    sign_in(page, "inspector2")
    open_field_app(page)
    page.context.set_offline(True)
    uuid = inspect_offline(page, camera_photo, fail_key="desk-dust")
    # As if the phone had kept a token from an older session for hours.
    page.evaluate("FieldQueue.configure({user: {username: 'inspector2'}, csrf_token: 'stale'})")
    page.context.set_offline(False)
    page.evaluate("FieldQueue.kick()")
    expect(page.locator(f".field-local li[data-uuid='{uuid}']")).to_have_attribute(
        "data-state", "sent", timeout=15000
    )
    assert stored(live_app, uuid)[0] == 1


def test_a_refusal_is_shown_with_a_way_to_fix_it(page, live_app):
    sign_in(page, "inspector2")
    open_field_app(page)
    page.locator(".field-sites a", has_text=SITE).click()
    page.get_by_role("button", name="办公环境周检").click()
    answer_everything(page, "documents")
    # Submitting without the required photo is caught on the phone, naming the item.
    page.get_by_role("button", name="提交", exact=True).click()
    problems = page.locator(".field-problems")
    expect(problems).to_contain_text("提交前还需完成：")
    expect(problems).to_contain_text("需要照片")
    # A refusal from the server (here: the checklist version is no longer accepted).
    uuid = page.url.rsplit("/", 1)[1]
    page.evaluate(
        """uuid => FieldDB.get("inspections", uuid).then(r => {
             r.answers.documents.answer = "pass";
             r.template = 999999; r.template_doc.id = 999999;
             return FieldDB.put("inspections", r);
           })""",
        uuid,
    )
    page.reload()
    page.get_by_role("button", name="提交", exact=True).click()
    row = page.locator(f".field-local li[data-uuid='{uuid}']")
    expect(row).to_have_attribute("data-state", "error", timeout=15000)
    expect(page.locator("#sync .sync-text")).to_have_text("1 项需处理")
    row.get_by_role("link").click()
    expect(page.get_by_role("alert").first).to_contain_text("服务器未接受")
    page.get_by_text("删除此草稿").first.click()
    page.get_by_role("button", name="删除此草稿").click()
    expect(page.locator(f".field-local li[data-uuid='{uuid}']")).to_have_count(0)
    assert stored(live_app, uuid)[0] == 0


def with_before_photo(app, department_code):
    """The title of an open finding of the department that has a before photo."""
    from inspector.models import Department

    with app.app_context():
        findings = db.session.scalars(
            select(Finding)
            .join(Department, Finding.department_id == Department.id)
            .where(Department.code == department_code, Finding.status == FindingStatus.OPEN)
        ).all()
        title = next(f.title for f in findings if any(p.stage == "before" for p in f.photos))
        db.session.remove()
        return title


def test_a_lead_fixes_a_finding_offline(page, context, live_app, camera_photo):
    title = with_before_photo(live_app, "engineering")
    sign_in(page, "lead-engineering")
    page.goto("/field/")
    expect(page.locator(".field-findings a").first).to_be_visible()
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # under the service worker now: it keeps the before photos fetched for later
    expect(page.locator(".field-findings a").first).to_be_visible()
    page.wait_for_timeout(500)
    context.set_offline(True)
    page.reload()
    page.locator(".field-findings a", has_text=title).first.click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    # Before photos were fetched while online: offline they still show.
    before = page.locator(".photos img[alt='整改前']")
    expect(before.first).to_be_visible()
    for image in before.all():
        page.wait_for_function("img => img.complete", arg=image.element_handle())
        assert image.evaluate("img => img.naturalWidth") > 0
    page.get_by_role("button", name="提交整改").click()
    expect(page.get_by_text("请至少拍一张整改后照片。")).to_be_visible()
    page.locator("input[type=file]").set_input_files(str(camera_photo))
    expect(page.locator(".thumb img[src^='blob:']")).to_be_visible()
    page.get_by_role("textbox").fill("已清理完毕")
    page.get_by_role("button", name="提交整改").click()
    row = page.locator(".field-local li").first
    expect(row).to_have_attribute("data-state", "waiting")
    uuid = row.get_attribute("data-uuid")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(row).to_have_attribute("data-state", "sent", timeout=15000)
    with live_app.app_context():
        finding = db.session.scalar(select(Finding).where(Finding.uuid == uuid))
        assert finding.status == FindingStatus.FIXED and finding.fix_note == "已清理完毕"
        assert [link.stage for link in finding.photos].count("after") == 1
        db.session.remove()


def test_capture_time_and_position_go_with_photos_and_inspections(
    browser, browser_context_args, live_app, camera_photo
):
    """With location allowed, the phone records where the inspection and each photo were made."""
    context = browser.new_context(
        **browser_context_args,
        permissions=["geolocation"],
        geolocation={"latitude": 25.2736, "longitude": 110.2901},  # 桂林
    )
    page = context.new_page()
    try:
        sign_in(page, "inspector2")
        open_field_app(page)
        uuid = inspect_offline(page, camera_photo, fail_key="documents")
        row = page.locator(f".field-local li[data-uuid='{uuid}']")
        expect(row).to_have_attribute("data-state", "sent", timeout=15000)
    finally:
        context.close()
    with live_app.app_context():
        inspection = db.session.scalar(select(Inspection).where(Inspection.uuid == uuid))
        assert (round(inspection.lat, 4), round(inspection.lon, 4)) == (25.2736, 110.2901)
        [photo] = [link.photo for r in inspection.responses for link in r.photos]
        assert (round(photo.lat, 4), round(photo.lon, 4)) == (25.2736, 110.2901)
        assert photo.taken_at is not None  # when the phone took it, not when it arrived
        db.session.remove()


def test_signing_out_forgets_the_users_field_data_but_keeps_waiting_work(page, context, live_app):
    sign_in(page, "inspector2")
    open_field_app(page)
    context.set_offline(True)
    page.locator(".field-sites a", has_text=SITE).click()
    page.get_by_role("button", name="办公环境周检").click()
    page.locator("#item-documents label.seg-pass").click()  # a draft on the phone
    page.goto("/field/")  # back home, still offline
    context.set_offline(False)
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile("/login"))
    kept = page.evaluate(
        """() => new Promise(resolve => {
             const open = indexedDB.open("inspector-field");
             open.onsuccess = () => {
               const tx = open.result.transaction(["meta", "inspections"]);
               const meta = tx.objectStore("meta").get("data");
               const drafts = tx.objectStore("inspections").count();
               tx.oncomplete = () => resolve([meta.result || null, drafts.result]);
             };
           })"""
    )
    assert kept == [None, 1]  # the sites and findings are gone; the draft stays for its user
    cached = page.evaluate(
        """() => caches.keys().then(names => Promise.all(names.map(n =>
             caches.open(n).then(c => c.match("/field/")).then(r => [n, Boolean(r)]))))"""
    )
    assert not any(has_shell for _, has_shell in cached)
    assert "inspector-photos" not in [name for name, _ in cached]

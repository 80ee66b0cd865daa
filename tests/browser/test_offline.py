"""The one inspection screen with no signal: work is kept on the phone and arrives exactly once.

Driven through the automation hooks of shared/CONTRACT.md (data-action, data-site,
data-template, data-item, data-answer, data-pending, data-sync-state), as acceptance checks do.
"""

import io
import random
import re
import time

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import func, select

from inspector.extensions import db
from inspector.models import (
    Checklist,
    Finding,
    FindingStatus,
    Inspection,
    InspectionStatus,
    Photo,
    Response,
    ResponsePhoto,
    User,
)
from tests.browser.test_phone_screens import sign_in

SITE = "B-102"  # 行政中心B区102 工程部: not inspector2's department


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


def office_checklist(app):
    with app.app_context():
        ident = db.session.scalar(
            select(Checklist.id).where(Checklist.code == "office-weekly", Checklist.is_current)
        )
        db.session.remove()
        return ident


def hooks(page):
    """(data-pending, data-sync-state) of the screen."""
    html = page.locator("html")
    return html.get_attribute("data-pending"), html.get_attribute("data-sync-state")


def open_home(page):
    """The home page, drawn (its start control there) and under the service worker."""
    page.goto("/")
    expect(page.locator('[data-action="start-inspection"]')).to_be_visible()
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")


def answer_everything(page, fail_key):
    """Pass every item that has a pass answer (full marks, none found); fail `fail_key`."""
    expect(page.locator("[data-item]").first).to_be_visible()  # .all() does not wait
    for item in page.locator("[data-item]").all():
        if item.locator('[data-answer="pass"]').count():
            item.locator('[data-answer="pass"]').click()
    page.locator(f'[data-item="{fail_key}"] [data-answer="fail"]').click()


def inspect(page, app, photo, fail_key="desk-dust", site=SITE):
    """From the home page: start, answer, photograph and submit; answer the record's uuid."""
    page.locator('[data-action="start-inspection"]').click()
    page.locator(f'[data-site="{site}"]').click()
    page.locator(f'[data-template="{office_checklist(app)}"]').click()
    answer_everything(page, fail_key)
    item = page.locator(f'[data-item="{fail_key}"]')
    expect(item).to_have_class(re.compile(r"\bneeds-photo\b"))
    item.locator("input[type=file]").set_input_files(str(photo))
    expect(item.locator(".thumb img[src^='blob:']")).to_be_visible()
    expect(item).not_to_have_class(re.compile(r"\bneeds-photo\b"))
    uuid = page.url.rsplit("/", 1)[1]
    page.locator('[data-action="submit"]').click()  # to the review
    expect(page).to_have_url(re.compile(r"/review$"))
    page.live_score = page.locator(".big-score .figure").inner_text()
    page.locator('[data-action="submit"]').click()
    expect(page).to_have_url(re.compile(rf"/field/inspections/{uuid}$"))
    return uuid


def stored(app, uuid):
    """How many inspections have this uuid; its status and percent; its photos' sizes."""
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


def inspection_count(app):
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Inspection))
        db.session.remove()
        return count


def test_a_round_from_the_home_page_offline_arrives_once(page, context, live_app, camera_photo):
    """Issue 14's walk-through: sign in, no signal, the home page, a whole round, closed and
    reopened offline, then a network: one inspection, its photo shrunk on the phone."""
    before = inspection_count(live_app)
    sign_in(page, "inspector2")
    expect(page.locator('[data-action="start-inspection"]')).to_be_visible()
    context.set_offline(True)
    page.reload()  # no network at all: the home page comes from the phone
    expect(page.locator('[data-action="start-inspection"]')).to_be_visible()
    # Every field screen opens by its own address with no network.
    for path, hook in (("/field/start", f'[data-site="{SITE}"]'),
                       (f"/field/start/{SITE}", "[data-template]"),
                       ("/field/inspections", '[data-action="start-inspection"]'),
                       ("/field/findings", "#field h1")):  # fmt: skip
        page.goto(path)
        expect(page.locator(hook).first).to_be_visible()
    page.goto("/")
    uuid = inspect(page, live_app, camera_photo)
    expect(page.locator("html")).to_have_attribute("data-pending", "1")
    expect(page.locator("html")).to_have_attribute("data-sync-state", "waiting")
    expect(page.locator(".record-state")).to_have_text(re.compile("已存本机"))
    page.go_back()  # Back after submitting: the submitted inspection, not the submit page
    expect(page.locator(f'[data-record="{uuid}"]')).to_be_visible()
    expect(page.locator('[data-action="submit"]')).to_have_count(0)
    shown = page.live_score

    page.close()  # closed and opened again, still without signal
    page = context.new_page()
    page.goto("/")
    expect(page.locator(f"li[data-uuid='{uuid}']")).to_have_attribute("data-state", "waiting")
    assert hooks(page) == ("1", "waiting")
    assert inspection_count(live_app) == before

    context.set_offline(False)
    expect(page.locator("html")).to_have_attribute("data-sync-state", "sent", timeout=20000)
    assert hooks(page) == ("0", "sent")
    count, inspection, photos = stored(live_app, uuid)
    assert count == 1 and inspection_count(live_app) == before + 1
    assert inspection[0] == "submitted" and f"{inspection[1]}%" == shown  # as the phone said
    [(width, height, size)] = photos
    assert max(width, height) <= 1600 and size <= 450 * 1000, (width, height, size)
    assert size < camera_photo.stat().st_size / 5

    page.reload()  # opening the app again sends nothing twice
    expect(page.locator("html")).to_have_attribute("data-sync-state", "sent")
    assert stored(live_app, uuid)[0] == 1


# Every change of the hooks, of the sync bar and of each photo's words, with the page's clock.
WATCH = """() => {
  window.seen = [];
  const note = () => window.seen.push({
    t: performance.timeOrigin + performance.now(),
    state: document.documentElement.dataset.syncState,
    pending: document.documentElement.dataset.pending,
    bar: (document.querySelector("#sync .sync-text") || {}).textContent,
    photos: [...document.querySelectorAll(".photo-state")].map((n) => n.textContent),
  });
  new MutationObserver(note).observe(document.documentElement,
    {attributes: true, subtree: true, childList: true, characterData: true});
  note();
}"""

# When the server's answer to each upload arrived (resource timing, page clock).
TIMINGS = """() => performance.getEntriesByType("resource")
  .filter((e) => e.name.includes("/api/v1/"))
  .map((e) => ({url: e.name, start: performance.timeOrigin + e.startTime,
                end: performance.timeOrigin + e.responseEnd}))"""


def test_on_a_slow_uplink_progress_shows_and_sent_is_never_said_early(
    page, context, live_app, camera_photo
):
    """0.75 Mbit/s up (Chromium's network emulation), as in the walk-through."""
    sign_in(page, "inspector2")
    open_home(page)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    conditions = {"latency": 300, "downloadThroughput": 1.5e6 / 8, "uploadThroughput": 0.75e6 / 8}
    cdp.send("Network.emulateNetworkConditions", {"offline": False, **conditions})
    page.evaluate(WATCH)
    started = time.monotonic()
    uuid = inspect(page, live_app, camera_photo, fail_key="documents")
    expect(page.locator("html")).to_have_attribute("data-sync-state", "sent", timeout=60000)
    took = time.monotonic() - started
    seen, timings = page.evaluate("() => window.seen"), page.evaluate(TIMINGS)
    photo = next(t for t in timings if "/photos/" in t["url"])
    accepted = next(t for t in timings if f"/inspections/{uuid}" in t["url"])["end"]
    # Progress: the photo said how far it had got while it went up, in steps.
    steps = {s for row in seen for s in row["photos"] if re.fullmatch(r"发送中 \d+%", s)}
    assert len(steps) >= 2, seen
    assert any(re.search(r"正在发送照片", row["bar"] or "") for row in seen)
    # From submitting on, never "sent" before the server had accepted the inspection.
    submitted = next(row["t"] for row in seen if row["pending"] == "1")
    early = [row for row in seen if submitted <= row["t"] < accepted and (
        row["state"] == "sent" or row["pending"] == "0" or "已发送" in (row["bar"] or "")
        or "已全部发送" in (row["bar"] or ""))]  # fmt: skip
    assert early == [], early
    assert photo["end"] - photo["start"] > 3000  # ~430 KB at 0.75 Mbit/s: about 5 s, not 68
    print(f"slow uplink: photo upload {(photo['end'] - photo['start']) / 1000:.1f} s, "
          f"all sent in {took:.1f} s")  # fmt: skip
    assert stored(live_app, uuid)[0] == 1


def test_a_connection_cut_mid_upload_loses_and_doubles_nothing(page, live_app, camera_photo):
    sign_in(page, "inspector2")
    open_home(page)
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
    uuid = inspect(page, live_app, camera_photo, fail_key="documents")
    expect(page.locator("html")).to_have_attribute("data-sync-state", "sent", timeout=30000)
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


CHANGE_RECORD = """([uuid]) => new Promise((resolve) => {
  const open = indexedDB.open("inspector-field");
  open.onsuccess = () => {
    const tx = open.result.transaction("inspections", "readwrite");
    const store = tx.objectStore("inspections");
    store.get(uuid).onsuccess = (e) => {
      const r = e.target.result;
      r.answers.documents.answer = "pass";
      r.template = 999999; r.template_doc.id = 999999;  // a checklist the server does not have
      store.put(r);
    };
    tx.oncomplete = () => resolve(true);
  };
})"""


def test_a_refusal_is_shown_with_a_way_to_fix_it(page, live_app):
    sign_in(page, "inspector2")
    open_home(page)
    page.locator('[data-action="start-inspection"]').click()
    page.locator(f'[data-site="{SITE}"]').click()
    page.locator(f'[data-template="{office_checklist(live_app)}"]').click()
    answer_everything(page, "documents")
    # Submitting without the required photo is caught on the phone, naming the item.
    page.locator('[data-action="submit"]').click()
    problems = page.locator(".field-problems")
    expect(problems).to_contain_text("提交前还需完成")
    expect(problems).to_contain_text("资料摆放整齐有序 — 需要照片")
    expect(page.locator('[data-action="submit"]')).to_have_count(0)
    uuid = page.url.split("/")[-2]
    page.evaluate(CHANGE_RECORD, [uuid])
    page.goto(f"/field/inspections/{uuid}/review")
    page.locator('[data-action="submit"]').click()
    expect(page.locator("html")).to_have_attribute("data-sync-state", "attention", timeout=15000)
    expect(page.get_by_role("alert").first).to_contain_text("服务器未接受")
    page.goto("/")
    row = page.locator(f"li[data-uuid='{uuid}']")
    expect(row).to_have_attribute("data-state", "attention")
    row.get_by_role("link").click()
    page.get_by_text("删除此草稿").first.click()
    page.get_by_role("button", name="删除此草稿").click()
    expect(page.locator(f"li[data-uuid='{uuid}']")).to_have_count(0)
    expect(page.locator("html")).to_have_attribute("data-pending", "0")
    assert stored(live_app, uuid)[0] == 0


def with_before_photo(app, department_code):
    """The uuid and title of an open finding of the department that has a before photo."""
    from inspector.models import Department

    with app.app_context():
        findings = db.session.scalars(
            select(Finding)
            .join(Department, Finding.department_id == Department.id)
            .where(Department.code == department_code, Finding.status == FindingStatus.OPEN)
        ).all()
        found = next(f for f in findings if any(p.stage == "before" for p in f.photos))
        db.session.remove()
        return found.uuid, found.title


def test_a_lead_fixes_a_finding_offline(page, context, live_app, camera_photo):
    uuid, title = with_before_photo(live_app, "engineering")
    sign_in(page, "lead-engineering")
    expect(page.locator(f"[data-finding='{uuid}']")).to_be_visible()
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # under the service worker now: it keeps the before photos fetched for later
    expect(page.locator(f"[data-finding='{uuid}']")).to_be_visible()
    # The service worker has put the finding's before photos in its cache.
    page.wait_for_function(
        "() => caches.open('inspector-photos').then((c) => c.keys()).then((k) => k.length > 0)"
    )
    context.set_offline(True)
    page.reload()
    page.locator(f"[data-finding='{uuid}'] a").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    # Before photos were fetched while online: offline they still show.
    before = page.locator(".photos img[alt='整改前']")
    expect(before.first).to_be_visible()
    for image in before.all():
        page.wait_for_function("img => img.complete", arg=image.element_handle())
        assert image.evaluate("img => img.naturalWidth") > 0
    page.locator('[data-action="submit"]').click()
    expect(page.get_by_text("请至少拍一张整改后照片。")).to_be_visible()
    page.locator("input[type=file]").set_input_files(str(camera_photo))
    expect(page.locator(".thumb img[src^='blob:']")).to_be_visible()
    page.get_by_role("textbox").fill("已清理完毕")
    page.locator('[data-action="submit"]').click()
    expect(page.locator("html")).to_have_attribute("data-sync-state", "waiting")
    context.set_offline(False)
    expect(page.locator("html")).to_have_attribute("data-sync-state", "sent", timeout=15000)
    with live_app.app_context():
        finding = db.session.scalar(select(Finding).where(Finding.uuid == uuid))
        assert finding.status == FindingStatus.FIXED and finding.fix_note == "已清理完毕"
        [after] = [link.photo for link in finding.photos if link.stage == "after"]
        assert max(after.width, after.height) <= 1600 and after.size <= 450 * 1000
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
        open_home(page)
        uuid = inspect(page, live_app, camera_photo, fail_key="documents")
        expect(page.locator("html")).to_have_attribute("data-sync-state", "sent", timeout=15000)
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
    open_home(page)
    context.set_offline(True)
    page.locator('[data-action="start-inspection"]').click()
    page.locator(f'[data-site="{SITE}"]').click()
    page.locator(f'[data-template="{office_checklist(live_app)}"]').click()
    page.locator('[data-item="documents"] [data-answer="pass"]').click()  # a draft on the phone
    expect(page.locator(".save-state")).to_have_text(re.compile("已存本机"))
    page.goto("/")  # back home, still offline
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


def test_the_unread_count_comes_with_the_field_data_offline_too(page, live_app):
    """The field app's bell shows the count of its last sync, also when opened offline."""
    from inspector.models import Notification, User

    with live_app.app_context():
        lead = db.session.scalar(select(User).where(User.username == "lead-canteen"))
        for _ in range(3):
            db.session.add(Notification(user_id=lead.id, name="finding.opened", data={"id": "x"}))
        db.session.commit()
        unread = db.session.scalar(
            select(func.count()).where(
                Notification.user_id == lead.id, Notification.read_at.is_(None)
            )
        )
        db.session.remove()
    sign_in(page, "lead-canteen")
    bell = page.locator("a.inbox")
    expect(bell).to_have_attribute("data-unread", str(unread))
    expect(bell.locator(".badge")).to_have_text(str(unread) if unread < 100 else "99+")
    page.context.set_offline(True)
    page.reload()
    expect(bell).to_have_attribute("data-unread", str(unread))
    page.context.set_offline(False)


def test_an_inspection_not_on_this_phone_opens_from_the_server(page, live_app):
    """A bookmark, another phone, or a record sent and cleared: with a network the phone says
    it is not here (not that the app was never opened) and opens the server's page for it."""
    with live_app.app_context():
        uuid = db.session.scalar(
            select(Inspection.uuid)
            .join(User, User.id == Inspection.inspector_id)
            .where(User.username == "inspector", Inspection.status == InspectionStatus.APPROVED)
            .limit(1)
        )
        db.session.remove()
    sign_in(page, "inspector")
    page.goto(f"/field/inspections/{uuid}")
    expect(page.get_by_text(re.compile("本机上没有|Not on this phone"))).to_be_visible()
    page.get_by_role("link", name=re.compile("查看完整记录|Open the full record")).click()
    expect(page).to_have_url(re.compile(f"/inspections/{uuid}$"))
    expect(page.locator("h1")).to_be_visible()

"""The heart of the product, in a real browser at phone size: inspect, photograph, submit."""

import re

from playwright.sync_api import expect

from tests.browser.test_phone_screens import sign_in
from tests.documents.test_reports import pdf_images, pdf_text
from tests.images import jpeg_bytes


def answer(page, key, choice):
    page.locator(f'[data-item="{key}"] [data-answer="{choice}"]').click()


def test_inspector_completes_an_office_round_with_a_photo(page, tmp_path):
    photo = tmp_path / "IMG_2041.JPG"
    photo.write_bytes(jpeg_bytes((1200, 900)))
    sign_in(page, "inspector")
    page.get_by_role("link", name="开始检查").click()
    page.get_by_placeholder("搜索检查点").fill("财务")
    page.get_by_role("link", name=re.compile("行政中心A区302 财务科")).click()
    picker = page.get_by_role("button", name=re.compile("办公环境周检"))
    expect(picker).to_contain_text("8 项")  # as many as the progress bar counts
    picker.click()
    expect(page.locator(".live-score")).to_have_text("—")
    expect(page.locator(".progress")).to_have_text("已答 0 / 8")

    for key in ("documents", "desk-dust", "mandarin"):
        answer(page, key, "pass")
    answer(page, "smoking", "fail")
    page.locator('[data-item="floor-spit"] button[aria-label="增加"]').click()  # one spit mark
    page.locator('[data-item="windows"] input[type=number]').fill("3")
    page.locator('[data-item="windows"] input[type=number]').blur()
    page.locator('[data-item="litter"] button[aria-label="减少"]').click()  # none found: 0
    answer(page, "parking", "na")
    # documents 3 + desk-dust 2 + mandarin 2 + smoking 0 + floor-spit 4-1 + windows 3
    # + litter 5 = 18 of 24 (parking N/A) -> 75.0
    expect(page.locator(".live-score")).to_have_text("75.0%")
    expect(page.locator(".progress")).to_have_text("已答 8 / 8")
    expect(page.locator('[data-item="smoking"]')).to_have_class(re.compile("needs-photo"))
    expect(page.locator(".save-state")).to_have_text("已存本机")

    page.locator('[data-item="smoking"] input[type=file]').set_input_files(str(photo))
    expect(page.locator('[data-item="smoking"] .thumb img')).to_be_visible()
    expect(page.locator('[data-item="smoking"] .photo-state')).to_have_text("已存本机")
    expect(page.locator('[data-item="smoking"]')).not_to_have_class(re.compile("needs-photo"))
    delete = page.locator('[data-item="smoking"] button.delete-photo')
    box = delete.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a clear delete button, not a checkbox

    page.get_by_role("link", name="检查并提交").click()
    expect(page.get_by_role("heading", name="可以提交")).to_be_visible()
    sign_and_submit(page)
    expect(page.locator("html")).to_have_attribute("data-sync-state", "sent", timeout=15000)
    expect(page.locator(".record-state")).to_have_text("已发送：服务器已收到。")
    expect(page.locator(".big-score .figure")).to_have_text("75.0%")  # the server's score
    expect(page.get_by_text("关键项不合格：本期该科室评比一票否决。")).to_be_visible()
    page.get_by_role("link", name="查看完整记录").click()
    expect(page.locator(".big-score .figure")).to_have_text("75.0%")
    expect(page.locator(".answers-list img")).to_have_count(1)
    check_report(page)


def sign_and_submit(page):
    """Sign as the inspector with the mouse (pointer events, as a finger makes), name the
    department's representative, submit."""
    pad = page.locator('[data-signature="inspector"]')
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 80)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 40, steps=5)
    page.mouse.move(box["x"] + 220, box["y"] + 100, steps=5)
    page.mouse.up()
    page.get_by_label("被检查单位代表姓名").fill("王科长")
    page.get_by_role("button", name="提交", exact=True).click()
    # Queued (signatures kept first): the receipt replaces the review. Until then the sync
    # bar may still say "sent" from before, so a wait for "sent" alone could end too early.
    expect(page).to_have_url(re.compile(r"/field/inspections/[0-9a-f-]{36}$"), timeout=15000)


def check_report(page):
    """The report prints the photo and the signature drawn on the phone, and the name typed."""
    report = page.request.get(page.locator('[data-download="report"]').get_attribute("href"))
    assert report.headers["content-type"] == "application/pdf"
    assert pdf_images(report.body()) == 2
    assert "王科长" in pdf_text(report.body())


def test_interrupted_inspection_resumes_where_it_stopped(page):
    sign_in(page, "inspector2")
    page.get_by_role("link", name="开始检查").click()
    page.get_by_role("link", name=re.compile("行政中心大厅")).click()
    page.get_by_role("button", name=re.compile("文明行为劝导")).click()
    answer(page, "noise", "pass")
    expect(page.locator(".save-state")).to_have_text("已存本机")
    first = page.url
    page.goto("/")  # the phone went to another screen, or the tab was closed
    drafts = page.locator('[data-group="drafts"]')
    drafts.get_by_role("link", name=re.compile("行政中心大厅")).click()
    expect(page.locator('[data-item="noise"] [data-answer="pass"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    # Starting the same site and checklist again continues the draft, never a second one.
    page.goto("/field/start")
    page.get_by_role("link", name=re.compile("行政中心大厅")).click()
    page.get_by_role("button", name=re.compile("文明行为劝导")).click()
    expect(page).to_have_url(first)
    page.goto("/")
    expect(drafts.locator("li")).to_have_count(1)


def test_a_text_item_shows_no_stray_text(page):
    # A text item has no note box; DOM append wrote the missing one as "null".
    sign_in(page, "inspector")
    page.goto("/field/start/A-302")
    page.get_by_role("button", name=re.compile("办公环境周检")).click()
    expect(page.locator('[data-item="remarks"]')).to_be_visible()
    expect(page.locator('[data-item="remarks"]')).not_to_contain_text("null")

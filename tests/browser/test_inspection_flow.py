"""The heart of the product, in a real browser at phone size: inspect, photograph, submit."""

import re

from playwright.sync_api import expect

from tests.browser.test_phone_screens import sign_in
from tests.images import jpeg_bytes


def answer_check(page, key, choice):
    page.locator(f"#item-{key} label.seg-{choice}").click()


def test_inspector_completes_an_office_round_with_a_photo(page, tmp_path):
    photo = tmp_path / "IMG_2041.JPG"
    photo.write_bytes(jpeg_bytes((1200, 900)))
    sign_in(page, "inspector")
    page.get_by_role("link", name="检查", exact=True).click()
    page.get_by_role("link", name="开始检查").click()
    page.get_by_placeholder("按名称或编号搜索检查点").fill("财务")
    page.get_by_role("link", name=re.compile("行政中心A区302 财务科")).click()
    page.get_by_role("button", name=re.compile("办公环境周检")).click()
    expect(page.locator("[data-score]")).to_have_text("—")

    for key in ("documents", "desk-dust", "mandarin"):
        answer_check(page, key, "pass")
    answer_check(page, "smoking", "fail")
    page.locator("#item-floor-spit button[data-step='1']").click()  # one spit mark: -1
    page.locator("#item-windows input[type=number]").fill("3")
    page.locator("#item-litter button[data-step='-1']").click()  # none found: 0
    page.locator("#item-parking input[name='na.parking']").check()
    # documents 3 + desk-dust 2 + mandarin 2 + smoking 0 + floor-spit 4-1 + windows 3
    # + litter 5 = 18 of 24 (parking N/A) -> 75.0
    expect(page.locator("[data-score]")).to_have_text("75.0%")
    expect(page.locator("#item-smoking")).to_have_class(re.compile("needs-photo"))
    expect(page.locator("[data-save-state]")).to_have_text("已保存")

    page.locator("#item-smoking input[type=file]").set_input_files(str(photo))
    page.wait_for_load_state()
    expect(page.locator("#item-smoking .thumb img")).to_be_visible()
    expect(page.locator("#item-smoking")).not_to_have_class(re.compile("needs-photo"))

    page.get_by_role("button", name="检查并提交").click()
    expect(page.get_by_role("heading", name="可以提交")).to_be_visible()
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("已提交，谢谢！")
    expect(page.locator(".big-score .figure")).to_have_text("75.0%")  # the server agrees
    expect(page.get_by_text("关键项不合格：本期该科室评比一票否决。")).to_be_visible()
    expect(page.locator(".answers-list img")).to_have_count(1)


def test_interrupted_inspection_resumes_where_it_stopped(page):
    sign_in(page, "inspector2")
    page.goto("/inspections/new")
    page.get_by_role("link", name=re.compile("行政中心大厅")).click()
    page.get_by_role("button", name=re.compile("文明行为劝导")).click()
    answer_check(page, "noise", "pass")
    expect(page.locator("[data-save-state]")).to_have_text("已保存")
    page.goto("/inspections/")  # the phone went to another screen, or was locked
    page.get_by_role("link", name=re.compile("行政中心大厅")).first.click()
    expect(page.locator("#item-noise input[value=pass]")).to_be_checked()

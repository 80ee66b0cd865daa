"""What people see on a phone: sign in, home by role, admin screens, both languages."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import update

from inspector.demo import DEMO_PASSWORD
from inspector.extensions import db
from inspector.models import User


def phone_context(browser, base_url, locale):
    """A fresh 390 px phone in `locale`, without the service worker."""
    return browser.new_context(
        base_url=base_url, viewport={"width": 390, "height": 844}, is_mobile=True,
        has_touch=True, locale=locale, service_workers="block",
    )  # fmt: skip


def sign_in(page, username):
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.get_by_role("button", name=re.compile("登录|Sign in")).click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_sign_in_in_chinese_and_switch_to_english(page):
    page.goto("/login")
    expect(page.locator("h1")).to_have_text("登录")
    sign_in(page, "inspector")
    expect(page.locator(".greeting")).to_have_text("你好，李督查")
    expect(page.locator(".home-head .muted")).to_have_text("督查员")  # the role, not the app
    expect(page.get_by_text("本周待查检查点")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_text("Sites due this week")).to_be_visible()
    page.reload()  # the choice is remembered
    expect(page.get_by_text("Sites due this week")).to_be_visible()
    page.get_by_role("button", name="中文").click()
    expect(page.get_by_text("本周待查检查点")).to_be_visible()


def test_wrong_password_shows_a_clear_error(page):
    page.goto("/login")
    page.fill("input[name=username]", "inspector")
    page.fill("input[name=password]", "not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_have_text("用户名或密码错误。")


def test_admin_adds_a_site_on_a_phone(page):
    sign_in(page, "admin")
    page.get_by_role("link", name="更多", exact=True).click()
    page.get_by_role("link", name="检查点").first.click()
    expect(page.get_by_text("桂花镇新村十一区")).to_be_visible()
    page.get_by_role("link", name="新增检查点").first.click()
    page.fill("input[name=code]", "ghz-well")
    page.fill("input[name=name]", "桂花镇新村水井旁")
    page.select_option("select[name=kind]", "residential")
    page.select_option("select[name=department]", "property")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_have_text("已保存。")
    expect(page.get_by_text("桂花镇新村水井旁")).to_be_visible()


def test_side_by_side_inputs_line_up_when_a_label_wraps(page):
    sign_in(page, "admin")
    page.get_by_role("button", name="English").click()
    page.goto("/activities/kinds")
    code, per_week = page.locator("#code").bounding_box(), page.locator("#per_week").bounding_box()
    label = page.locator("label[for=per_week]").bounding_box()
    assert label["height"] > 30  # "Expected a / week" takes two lines at 390 px
    assert abs(code["y"] - per_week["y"]) < 1


def test_tap_targets_are_big_enough(page):
    sign_in(page, "admin")
    for link in page.locator("nav.tabs a").all():
        assert link.bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll


@pytest.mark.parametrize("username", ["inspector", "lead-office", "lead-property", "admin"])
@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_brand_is_whole_or_only_its_mark(browser, base_url, live_app, username, locale):
    # At 390 px a long name (办公室负责人) and "Sign out" leave the brand too little room:
    # it shows its whole name or its mark, never a cut name such as "Inspecto". The browser's
    # language picks English, once the account's saved choice (another test's) is forgotten.
    with live_app.app_context():
        db.session.execute(update(User).where(User.username == username).values(locale=None))
        db.session.commit()
        db.session.remove()
    context = phone_context(browser, base_url, locale)
    try:
        page = context.new_page()
        sign_in(page, username)
        if locale == "en-US":
            expect(page.locator(".topbar .brand")).to_have_accessible_name("Inspector")
        brand = page.locator(".topbar .brand").bounding_box()
        name = page.locator(".topbar .brand-name").bounding_box()
        shown = name["y"] < brand["y"] + brand["height"]
        if shown:
            assert name["x"] + name["width"] <= brand["x"] + brand["width"] + 0.5, (brand, name)
        else:
            assert page.locator(".topbar .brand-mark").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_choosing_a_department_applies_the_filter(page):
    # The filters apply on change; an inline onchange was refused by the site's own CSP.
    sign_in(page, "supervisor")
    for path in ("/activities/", "/frameworks/1"):
        page.goto(path)
        page.select_option("select#department", "office")
        expect(page).to_have_url(re.compile(r"department=office"))
        expect(page.locator("select#department")).to_have_value("office")


def test_a_group_folded_by_hand_stays_so_when_the_screen_is_drawn_again(page, context):
    # The field home is drawn again when fresh data arrives: a group the lead had opened or
    # folded snapped back to its default under their finger.
    sign_in(page, "lead-office")
    findings = page.locator('details[data-group="findings"]')
    expect(findings).to_be_visible()
    page.wait_for_load_state("networkidle")
    was_open = findings.evaluate("node => node.open")
    findings.locator("summary").click()
    findings.evaluate("node => { node.dataset.old = '1'; }")
    context.set_offline(True)
    page.wait_for_timeout(1100)  # the next data is generated in a later second: it is new
    context.set_offline(False)  # the app fetches its data again and draws the home again
    page.wait_for_function(
        """() => { const node = document.querySelector('details[data-group="findings"]');
                   return node && !node.dataset.old; }"""
    )
    assert findings.evaluate("node => node.open") is (not was_open)


def test_the_printable_bulletin_fits_a_phone_in_english(browser, base_url):
    # English headings are words ("Critical failures", "Inspections"): they wrap between
    # them, where the Chinese ones stay whole (which always fitted), and the ranking never
    # scrolls sideways.
    context = phone_context(browser, base_url, "en-US")
    try:
        page = context.new_page()
        page.set_extra_http_headers({"Accept-Language": "en-US"})
        sign_in(page, "supervisor")
        page.goto("/scores/print?kind=week")
        expect(page.locator("table.ranking-table")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()

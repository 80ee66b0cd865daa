"""A supervisor narrows the review queue to one inspector and approves what is ticked, once."""

import re

from playwright.sync_api import expect

from tests.browser.test_phone_screens import sign_in


def test_supervisor_filters_ticks_and_approves_with_one_confirmation(page):
    sign_in(page, "supervisor")
    page.goto("/inspections/")
    page.locator("details.filter summary").click()
    page.select_option("#f-inspector", "inspector2")
    page.get_by_role("button", name="显示").click()
    expect(page).to_have_url(re.compile(r"inspector=inspector2"))  # counted on the new page,
    page.wait_for_load_state()  # once it is all there
    boxes = page.locator(".bulk input[name=uuid]")
    count = boxes.count()
    assert count >= 2
    page.get_by_text("全选当前列表").click()
    expect(boxes.nth(count - 1)).to_be_checked()
    boxes.first.uncheck()  # all but one
    page.get_by_role("button", name="批准所选").click()
    expect(page.get_by_role("heading", name=f"批准这 {count - 1} 项检查？")).to_be_visible()
    page.get_by_role("button", name=f"批准这 {count - 1} 项检查").click()
    expect(page.locator(".flash-success")).to_contain_text(f"已批准 {count - 1} 项检查")
    expect(page.locator("#f-inspector")).to_have_value("inspector2")  # the filter is kept
    expect(page.locator(".bulk input[name=uuid]")).to_have_count(1)

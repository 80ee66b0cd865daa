"""The admin copies a checklist, adds, moves and removes items in place, then publishes it."""

from playwright.sync_api import expect

from tests.browser.test_phone_screens import sign_in


def test_admin_builds_a_checklist_in_place_and_publishes_it(page):
    sign_in(page, "admin")
    page.goto("/checklists/1")
    page.get_by_role("link", name="复制").click()
    page.fill("#code", "office-copy")
    page.fill("#name", "试用检查表")  # the live app is shared: no name other tests look for
    items = page.locator("#s1 fieldset.item")
    count = items.count()
    add = page.locator("#s1-end button[value='add-item:1']")
    add.scroll_into_view_if_needed()
    page.evaluate("window.samePage = true")
    before = add.bounding_box()["y"]

    add.click()
    expect(items).to_have_count(count + 1)
    assert page.evaluate("window.samePage") is True  # no page load
    assert abs(page.locator("#s1-end button[value='add-item:1']").bounding_box()["y"] - before) < 3
    new_text = page.locator(f"#s1-i{count} input[name$='.text']")
    expect(new_text).to_be_focused()
    new_text.fill("新加的一项")
    new_type = page.locator(f"#s1-i{count} select[name$='.type']")
    expect(new_type).to_have_value("")  # no type is chosen for the admin
    new_type.select_option("check")
    page.fill(f"#s1-i{count} input[name$='.points']", "2")

    page.locator(f"#s1-i{count} button[value='up-item:1:{count}']").click()
    expect(page.locator(f"#s1-i{count - 1} input[name$='.text']")).to_have_value("新加的一项")
    page.locator(f"#s1-i{count - 1} button[value^='remove-item']").click()
    expect(items).to_have_count(count)
    add.click()
    expect(items).to_have_count(count + 1)
    page.fill(f"#s1-i{count} input[name$='.text']", "保留的一项")
    page.locator(f"#s1-i{count} select[name$='.type']").select_option("scale")
    page.fill(f"#s1-i{count} input[name$='.points']", "1")
    assert page.evaluate("window.samePage") is True

    page.locator(".sticky-save button[value='save']").click()
    expect(page.locator(".lifecycle .tag")).to_have_text("草稿")
    expect(page.get_by_text("保留的一项")).to_be_visible()
    page.get_by_role("button", name="发布").click()
    expect(page.locator(".lifecycle .tag")).to_have_text("已发布")
    page.get_by_role("button", name="停用").click()  # retired: offered to no one again
    expect(page.locator(".lifecycle .tag")).to_have_text("已停用")

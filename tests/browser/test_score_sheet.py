"""The score sheet a supervisor publishes: on the phone, and printed to an A4 PDF."""

import io
import re
import unicodedata

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.test_phone_screens import sign_in


def test_supervisor_prints_the_a4_score_sheet(page):
    sign_in(page, "supervisor")
    page.get_by_role("link", name="评比", exact=True).click()
    expect(page.get_by_role("heading", name="评比通报")).to_be_visible()
    page.get_by_role("link", name="月", exact=True).click()
    ranking = page.locator("ol.ranking li")
    expect(ranking.first).to_be_visible()
    top = ranking.first.locator(".pct").inner_text().rstrip("%")
    page.get_by_role("link", name="打印").click()
    expect(page.get_by_role("heading", name="文明单位创建考核评比通报")).to_be_visible()
    pdf = page.pdf(format="A4", print_background=True)
    # PDF text comes back with CJK radicals (⽂ for 文); NFKC folds them back.
    text = unicodedata.normalize(
        "NFKC", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    )
    assert "评比通报" in text and "名次" in text
    assert re.search(rf"^1 .* {re.escape(top)} ", text, re.MULTILINE)  # the same rank 1
    assert "制表人" in text and "审核人" in text  # signature lines
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 1

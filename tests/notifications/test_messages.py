"""Messages are drawn in the reader's words: labels, never the API's status words."""

import pytest

from inspector.notifications.messages import render

pytestmark = pytest.mark.sqlite_only  # drawing a message reads no table


@pytest.mark.parametrize(
    ("locale", "status", "title"),
    [
        ("zh", "overturned", "申诉已裁定（申诉改判）：检查项 litter"),
        ("zh", "upheld", "申诉已裁定（维持扣分）：检查项 litter"),
        ("en", "overturned", "Appeal decided (Overturned on appeal): item litter"),
    ],
)
def test_a_decided_appeal_says_the_ruling_in_the_readers_words(app, locale, status, title):
    data = {"id": "a1", "item": "litter", "status": status,
            "decision": {"comment": "照片显示已清理"}}  # fmt: skip
    message = render("appeal.decided", data, locale, absolute=False)
    assert message.title == title
    assert message.lines == ["照片显示已清理"]
    assert message.url == "/appeals/a1"


@pytest.mark.parametrize(
    ("locale", "title"),
    [("zh", "每周汇总 2026年第48周 (11月23日–11月29日)"),
     ("en", "Weekly summary Week 48, 2026 (Nov 23–Nov 29)")],
)  # fmt: skip
def test_the_weekly_summary_names_its_week_as_people_say_it(app, locale, title):
    data = {"period": "2026-W48", "from": "2026-11-23", "to": "2026-11-29", "departments": []}
    with app.test_request_context():
        assert render("digest.weekly", data, locale, absolute=False).title == title

"""Chinese and English: chosen from the browser, switchable, remembered, complete."""

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import force_locale

from inspector.extensions import db
from inspector.models import Role, User
from tests import factories

pytestmark = pytest.mark.sqlite_only  # languages are chosen and drawn the same on either database

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "inspector/translations/zh/LC_MESSAGES"


@pytest.mark.parametrize(
    "accept, expected, lang",
    [
        ("zh-CN,zh;q=0.9", "登录", "zh-CN"),
        ("en-US,en;q=0.8", "Sign in", "en"),
        ("fr-FR", "登录", "zh-CN"),
        ("", "登录", "zh-CN"),
    ],
)
def test_language_follows_the_browser(client, accept, expected, lang):
    html = client.get("/login", headers={"Accept-Language": accept}).text
    assert f"<h1>{expected}</h1>" in html
    assert f'<html lang="{lang}">' in html


def test_switch_is_remembered_for_the_session_and_the_user(client, login_as):
    user = login_as(Role.INSPECTOR)
    response = client.post(
        "/language", data={"locale": "en", "next": "/account"}, headers={"Accept-Language": "zh-CN"}
    )
    assert response.status_code == 303 and response.location == "/account"
    assert "Change password" in client.get("/account", headers={"Accept-Language": "zh"}).text
    assert db.session.get(User, user.id).locale == "en"


def test_saved_language_follows_the_user_to_a_new_device(app, login_as, client):
    user = login_as(Role.LEAD)
    client.post("/language", data={"locale": "en"})
    phone = app.test_client()
    phone.post(
        "/login",
        data={"username": user.username, "password": "correct-horse-battery"},
        headers={"Accept-Language": "zh-CN"},
    )
    home = phone.get("/", headers={"Accept-Language": "zh-CN"}).text
    assert '<html lang="en">' in home and "Findings to fix" in home


def test_unknown_language_is_ignored(client):
    client.post("/language", data={"locale": "xx"})
    assert "登录" in client.get("/login", headers={"Accept-Language": "zh"}).text


def test_times_are_shown_in_the_deployment_time_zone(app):
    moment = datetime(2026, 11, 22, 16, 30, tzinfo=UTC)  # Monday 00:30 in Shanghai
    with app.test_request_context(headers={"Accept-Language": "en"}):
        shown = render_template_string("{{ moment|datetime }}", moment=moment)
    assert shown == '<span class="nowrap">Nov 23, 2026</span> <span class="nowrap">00:30</span>'


@pytest.mark.parametrize(
    "language, day, moment",
    [
        ("zh", "2026年11月23日", "2026年11月23日 00:30"),
        ("en", "Nov 23, 2026", "Nov 23, 2026 00:30"),
    ],
)
def test_one_format_per_kind_of_date_in_each_language(app, language, day, moment):
    """As the field app writes them (static/js/ui.js), whatever format a template names."""
    when = datetime(2026, 11, 22, 16, 30, tzinfo=UTC)
    page = "{{ d|date }}|{{ d|date('short') }}|{{ t|datetime }}|{{ t|datetime('short') }}"
    with app.test_request_context(headers={"Accept-Language": language}):
        shown = render_template_string(page, d=when.date().replace(day=23), t=when)
    # Each part whole on its line: a date never breaks inside, a moment only before its time.
    day_shown = f'<span class="nowrap">{day}</span>'
    moment_shown = '<span class="nowrap">{}</span> <span class="nowrap">{}</span>'.format(
        *moment.rsplit(" ", 1)
    )
    assert shown.split("|") == [day_shown, day_shown, moment_shown, moment_shown]


# Loops call these for every row: once through Flask-Babel's callables, once through the ones
# bound per render (inspector.i18n.templating.bound_gettext). Both must say the same.
CALLS = (
    "{{ _('Sign in') }}|{{ gettext('Sign in') }}|{{ pgettext('role', 'Inspector') }}|"
    "{{ ngettext('%(num)d inspection', '%(num)d inspections', n) }}|"
    "{{ _('%(n)d awaiting review', n=n) }}|"
    "{{ _('Closed by %(name)s, %(when)s: overturned on appeal.', name=text, when=n) }}"
)


@pytest.mark.parametrize(
    "language, expected",
    [
        ("zh", "登录|登录|督查员|3 次检查|3 份待审核|&lt;b&gt; 于 3 关闭：申诉改判。"),
        (
            "en",
            "Sign in|Sign in|Inspector|3 inspections|3 awaiting review|"
            "Closed by &lt;b&gt;, 3: overturned on appeal.",
        ),
    ],
)
def test_translations_bound_per_render_say_what_flask_babel_says(app, language, expected):
    with app.test_request_context(headers={"Accept-Language": language}):
        bound = render_template_string(CALLS, n=3, text="<b>")
        own = app.jinja_env.from_string(CALLS).render(n=3, text="<b>")  # no context processor
        which = render_template_string(
            "{{ gettext is sameas flask_babels }} {{ _ is sameas gettext }}",
            flask_babels=app.jinja_env.globals["gettext"],
        )
    assert bound == own == expected
    assert which == "False True"  # the render's own, for `_` too


def test_a_render_in_a_forced_language_is_said_in_it(app):
    """E-mails are rendered in their reader's language, inside a request in another."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        with force_locale("zh"):
            forced = render_template_string(
                "{{ _('Sign in') }}{% for i in [1] %}{{ _('Sign in') }}{% endfor %}"
            )
        after = render_template_string("{{ _('Sign in') }}")
    assert (forced, after) == ("登录登录", "Sign in")


def test_one_english_word_says_what_each_place_means_in_chinese(app):
    """ "Failed" is a delivery that did not arrive, an archive that could not be built, and on
    the 通报 how often an item failed an inspection: three different words in Chinese."""
    from inspector.i18n.labels import ARCHIVE_STATUS_LABELS
    from inspector.notifications.labels import DELIVERY_STATUS_LABELS

    with app.test_request_context(headers={"Accept-Language": "zh"}):
        said = (str(DELIVERY_STATUS_LABELS["failed"]), str(ARCHIVE_STATUS_LABELS["failed"]))
        column = render_template_string(
            '{{ pgettext("bulletin column: times an item failed", "Failed") }}'
        )
    assert said == ("发送失败", "生成失败") and column == "不合格"


def msgid(message):
    return message.id if isinstance(message.id, str) else message.id[0]


def test_every_string_in_the_code_is_translated(tmp_path):
    """Extract the messages afresh: a string added without a Chinese translation fails."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "N_",
            "-k",
            "lazy_pgettext:1c,2",
            "--ignore-dirs",
            ".*",  # Babel skips _macros/ by default; only hidden folders are skipped here
            "-o",
            str(pot),
            "inspector",
            "templates",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        wanted = {(m.context, msgid(m)) for m in read_po(f) if m.id}
    with (CATALOG / "messages.po").open("rb") as f:
        catalog = read_po(f)
    translated = {
        (m.context, msgid(m))
        for m in catalog
        if m.id
        and "fuzzy" not in m.flags
        and (m.string if isinstance(m.string, str) else all(m.string))
    }
    assert sorted(wanted - translated) == []


def messages(catalog):
    return {
        (m.id if isinstance(m.id, str) else tuple(m.id)): (
            m.string if isinstance(m.string, str) else tuple(m.string)
        )
        for m in catalog
        if m.id
    }


def test_compiled_catalog_matches_the_po_file():
    with (CATALOG / "messages.po").open("rb") as f:
        po = messages(read_po(f))
    with (CATALOG / "messages.mo").open("rb") as f:
        mo = messages(read_mo(f))
    assert po == mo, "run `make translations` and commit messages.mo"


@pytest.mark.parametrize(
    "language, faults",
    [
        ("en", {"status": "Must be one of \"draft\", \"published\", \"retired\".",
                "site_kinds": "Must be of type array."}),
        ("zh-CN", {"status": "须为以下之一：\"draft\", \"published\", \"retired\"。",
                   "site_kinds": "类型须为 array。"}),
    ],
)  # fmt: skip
def test_an_api_fault_is_said_in_the_requests_language(api, language, faults):
    api.as_role("admin")
    checklist = factories.new_checklist()
    db.session.commit()
    answer = api.patch(
        f"/api/v1/templates/{checklist.id}",
        json={"status": "gone", "site_kinds": 3},
        headers={"Accept-Language": language},
    )
    assert answer.status_code == 422
    assert answer.json["error"]["fields"] == faults


def test_a_token_users_saved_language_comes_first(api):
    api.as_role("admin", locale="en")
    checklist = factories.new_checklist()
    db.session.commit()
    answer = api.patch(
        f"/api/v1/templates/{checklist.id}", json={"status": 3}, headers={"Accept-Language": "zh"}
    )
    assert answer.status_code == 422
    assert answer.json["error"]["fields"] == {
        "status": 'Must be one of "draft", "published", "retired".'
    }


def test_each_field_app_string_has_one_key():
    """The field app's strings are one object literal: a key written twice silently replaces
    the first one's text on every screen that uses it."""
    import re

    text = (Path(__file__).parent.parent / "templates/field/_strings.html").read_text()
    keys = re.findall(r'"([a-z_0-9]+)":\s*(?:_|ngettext|pgettext)\(', text)
    assert len(keys) > 100
    assert sorted(k for k in set(keys) if keys.count(k) > 1) == []

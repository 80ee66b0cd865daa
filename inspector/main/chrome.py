"""Every page's top bar and main tabs (templates/_chrome.html), rendered once and kept.

They cost more than most pages' own content: about 0.8 ms of the 2.4 ms score sheet went on
some 300 context lookups, 16 `url_for` and 16 `gettext` that come out the same every time.
What they show is fixed by `chrome_key` (language, who, their tab, unread count); the two
parts that change with each request are holes filled in afterwards: the CSRF token of the
language and sign-out forms, and the page the language form comes back to.

A hole is raw markup ("<csrf-hole>"): anything a user typed reaches the HTML escaped, so
their text can never be taken for a hole. The kept HTML lives in the process (one dict per
app), and a full dict is emptied rather than ordered: its entries are cheap to remake.
"""

from flask import current_app, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from inspector.main.more import more_areas
from inspector.models import Role
from inspector.notifications.inbox import unread_count

CACHE = "inspector.chrome"
MAX_KEPT = 4096
CSRF_HOLE = Markup("<csrf-hole>")
NEXT_HOLE = Markup("<next-hole>")
REVIEWERS = (Role.SUPERVISOR, Role.ADMIN)
FIELD_USERS = (Role.INSPECTOR, Role.LEAD)


def current_tab(role, endpoint: str, path: str) -> str | None:
    """The main tab (templates/_chrome.html) the page at `path` belongs to, or None.

    The first that claims the page wins, so a page is never under two tabs.
    """
    area = endpoint.split(".", maxsplit=1)[0]
    field_user = role in FIELD_USERS
    claims = [
        # The field app is a field user's home; a reviewer reaches it from More.
        ("home", path == "/" or (field_user and path == "/field/")),
        (
            "inspections",
            path.startswith(("/field/inspections", "/field/start"))
            if role == Role.INSPECTOR
            else role in REVIEWERS and area == "inspections",
        ),
        ("findings", path.startswith("/field/findings") if field_user else area == "findings"),
        ("appeals", role == Role.LEAD and area == "appeals"),
        ("activities", field_user and area == "activities"),
        ("scores", area in ("scores", "documents")),  # the year's archives open from Scores
        ("rounds", role in REVIEWERS and area == "rounds"),
        ("more", endpoint == "main.more" or (bool(area) and area in more_areas(role))),
    ]
    return next((tab for tab, claimed in claims if claimed), None)


def chrome_key(user, locale: str, endpoint: str, path: str) -> tuple:
    """Everything the kept chrome depends on. `user` is None when signed out."""
    if user is None:
        return (request.script_root, locale, None)
    # The field app's shell is kept offline: it gets its count from the field data instead
    # (static/js/app.js, showUnread), never one that goes stale with the kept page.
    field_shell = endpoint.startswith("field.")
    unread = None if field_shell else unread_count(user)
    tab = current_tab(user.role, endpoint, path)
    return (request.script_root, locale, user.id, user.name, user.role, tab, unread)


def page_chrome() -> Markup:
    """The top bar and tabs of the page being rendered (base.html)."""
    user = current_user if current_user.is_authenticated else None
    locale = str(get_locale())
    key = chrome_key(user, locale, request.endpoint or "", request.path)
    kept = current_app.extensions.setdefault(CACHE, {})
    html = kept.get(key)
    if html is None:
        html = render(key)
        if len(kept) >= MAX_KEPT:
            kept.clear()
        if not current_app.jinja_env.auto_reload:  # in development, an edit shows at once
            kept[key] = html
    back = request.full_path if request.query_string else request.path
    # Both are Markup, so both are filled in escaped: a token or a path is never markup.
    return html.replace(CSRF_HOLE, escape(generate_csrf())).replace(NEXT_HOLE, escape(back))


def render(key) -> Markup:
    _, locale, *who = key
    user = None
    if who[0] is not None:
        _id, name, role, tab, unread = who
        user = {"name": name, "role": role, "tab": tab, "unread": unread}
    return Markup(  # nosec B704: a template rendered with autoescaping
        render_template(
            "_chrome.html", locale=locale, user=user, csrf=CSRF_HOLE, next_path=NEXT_HOLE
        )
    )


def init_app(app):
    app.jinja_env.globals["page_chrome"] = page_chrome

"""Language and time zone: chosen per user, else from the browser."""

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from flask import current_app, has_request_context, request, session
from flask_babel import (
    format_date,
    format_time,
    get_locale,
    gettext,
    lazy_gettext,
    lazy_pgettext,
    ngettext,
)
from flask_login import current_user
from markupsafe import Markup

from inspector.charts import sparkline

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}


def select_locale():
    """Pick the user's saved language, then the session's, then the browser's."""
    if not has_request_context():
        return "en"  # command-line messages are for administrators, in English
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def select_timezone():
    """Show every time in the deployment's time zone."""
    return current_app.config["TIMEZONE"]


def format_day(value) -> str:
    return format_date(value, "medium") if value else ""


def format_moment(value) -> str:
    """A date and a 24-hour time in the user's language and the deployment's time zone."""
    if not value:
        return ""
    return f"{format_date(value, 'medium')} {format_time(value, 'HH:mm')}"


def local_now() -> datetime:
    """Return the current time in the deployment's time zone."""
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"]))


def register_template_helpers(app):
    """Make date formatting and language names available to templates."""
    # One format per kind in each language, as the field app shows them (static/js/ui.js):
    # 2026年11月29日 / Nov 29, 2026, and with the time 2026年11月29日 13:32 / Nov 29, 2026, 13:32.
    # A format named by an older template ('short', 'medium') is no longer a choice.
    app.jinja_env.filters["datetime"] = lambda value, _fmt=None: format_moment(value)
    app.jinja_env.filters["date"] = lambda value, _fmt=None: (
        format_date(value, "medium") if value else ""
    )
    app.jinja_env.filters["user_name"] = user_name
    app.jinja_env.filters["points"] = lambda value: f"{value:g}" if value is not None else ""
    app.jinja_env.globals.update(
        get_locale=get_locale,
        ITEM_TYPE_LABELS=ITEM_TYPE_LABELS,
        STATUS_LABELS=STATUS_LABELS,
        FINDING_STATUS_LABELS=FINDING_STATUS_LABELS,
        GRADE_LABELS=GRADE_LABELS,
        PERIOD_KIND_LABELS=PERIOD_KIND_LABELS,
        period_label=period_label,
        # The SVG is built from numbers only (inspector/charts.py): no text reaches it.
        sparkline=lambda values: Markup(sparkline(values)),  # nosec B704
        answer_label=answer_label,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        ROLE_LABELS=ROLE_LABELS,
        SITE_KIND_LABELS=SITE_KIND_LABELS,
    )


# Labels for enum values shown to people; lazy so they follow the request's language.
ROLE_LABELS = {
    "admin": lazy_gettext("Administrator"),
    "supervisor": lazy_gettext("Supervisor"),
    "inspector": lazy_pgettext("role", "Inspector"),
    "lead": lazy_gettext("Department lead"),
}
SITE_KIND_LABELS = {
    "office": lazy_gettext("Office"),
    "residential": lazy_gettext("Residential area"),
    "public": lazy_gettext("Public area"),
}
ITEM_TYPE_LABELS = {
    "check": lazy_gettext("Pass / fail"),
    "scale": lazy_gettext("Scale"),
    "deduct": lazy_gettext("Deduction per case"),
    "text": lazy_gettext("Note (not scored)"),
}
GRADE_LABELS = {
    "excellent": lazy_gettext("Excellent"),
    "good": lazy_gettext("Good"),
    "pass": lazy_gettext("Pass grade"),
    "fail": lazy_gettext("Fail grade"),
}
FINDING_STATUS_LABELS = {
    "open": lazy_gettext("To fix"),
    "fixed": lazy_gettext("Fixed"),
    "closed": lazy_gettext("Closed"),
}
STATUS_LABELS = {
    "draft": lazy_gettext("Draft"),
    "submitted": lazy_gettext("Submitted"),
    "returned": lazy_gettext("Returned"),
    "approved": lazy_gettext("Approved"),
}


def answer_label(item, response):
    """Say an answer the way a person reads it: 合格, 3 处, N/A."""
    answer = response.answer if response else None
    if answer is None:
        return "—"
    if answer == "na":
        return gettext("N/A")
    if item.type == "check":
        return gettext("Pass") if answer == "pass" else gettext("Fail")
    if item.type == "deduct":
        return ngettext("%(num)d case", "%(num)d cases", answer["count"])
    return str(answer)


PERIOD_KIND_LABELS = {
    "week": lazy_gettext("Week"),
    "month": lazy_gettext("Month"),
    "quarter": lazy_gettext("Quarter"),
    "year": lazy_gettext("Year"),
}


def period_label(period):
    """Name a period as people say it: 2026年第48周, November 2026, Q4 2026."""
    locale = get_locale()
    if period.kind == "week":
        year, week, _ = period.first.isocalendar()
        days = (
            format_skeleton("MMMd", period.first, locale=locale)
            + "–"
            + format_skeleton("MMMd", period.last, locale=locale)
        )
        return gettext("Week %(week)d, %(year)d", week=week, year=year) + f" ({days})"
    if period.kind == "month":
        return format_skeleton("yMMMM", period.first, locale=locale)
    if period.kind == "quarter":
        quarter = (period.first.month - 1) // 3 + 1
        return gettext("Q%(quarter)d %(year)d", quarter=quarter, year=period.first.year)
    if period.kind == "year":
        return gettext("Year %(year)d", year=period.first.year)
    return format_date(period.first, "short") + " – " + format_date(period.last, "short")


def user_name(user_id):
    from inspector.extensions import db
    from inspector.models import User

    user = db.session.get(User, user_id)
    return user.name if user else "?"

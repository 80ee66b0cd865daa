"""How values are said to people: labels for stored codes, answers and periods."""

from babel.dates import format_skeleton
from flask_babel import (
    format_date,
    format_time,
    get_locale,
    gettext,
    lazy_gettext,
    lazy_pgettext,
    ngettext,
)

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}

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
METHOD_LABELS = {
    "inspection": lazy_gettext("Field inspection"),
    "activity": lazy_gettext("Activity records"),
    "material": lazy_gettext("Material review"),
    "survey": lazy_gettext("Survey"),
}
ITEM_TYPE_LABELS = {
    "check": lazy_gettext("Pass / fail"),
    "scale": lazy_gettext("Scale"),
    "deduct": lazy_gettext("Deduction per case"),
    "text": lazy_gettext("Note (not scored)"),
}
CHECKLIST_STATUS_LABELS = {
    "draft": lazy_pgettext("checklist", "Draft"),
    "published": lazy_gettext("Published"),
    "retired": lazy_gettext("Retired"),
}
GRADE_LABELS = {
    "excellent": lazy_gettext("Excellent"),
    "good": lazy_gettext("Good"),
    "pass": lazy_gettext("Pass grade"),
    "fail": lazy_gettext("Fail grade"),
}
ARCHIVE_STATUS_LABELS = {
    "pending": lazy_gettext("Waiting to be built"),
    "building": lazy_gettext("Being built"),
    "ready": lazy_gettext("Ready"),
    "failed": lazy_pgettext("archive", "Failed"),
}
FINDING_STATUS_LABELS = {
    "open": lazy_gettext("To fix"),
    "fixed": lazy_gettext("Fixed"),
    "closed": lazy_gettext("Closed"),
}
APPEAL_STATUS_LABELS = {
    "pending": lazy_gettext("Appeal pending"),
    "withdrawn": lazy_gettext("Appeal withdrawn"),
    "upheld": lazy_gettext("Deduction upheld"),
    "overturned": lazy_gettext("Overturned on appeal"),
}
STATUS_LABELS = {
    "draft": lazy_gettext("Draft"),
    "submitted": lazy_gettext("Submitted"),
    "returned": lazy_gettext("Returned"),
    "approved": lazy_gettext("Approved"),
}


def answer_label(item, response, answer=None):
    """Say an answer the way a person reads it: 合格, 3 处, N/A (the one in force, or `answer`)."""
    if answer is None:
        answer = response.answer_in_force if response else None
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
    """Name a period as people say it: 2026年第48周 (11月23日–11月29日), November 2026."""
    name, days = period_parts(period)
    return f"{name} ({days})" if days else name


def period_parts(period):
    """(name, its days or None): a week's days are said beside its name, 11月23日–11月29日."""
    locale = get_locale()
    if period.kind == "week":
        year, week, _ = period.first.isocalendar()
        days = (
            format_skeleton("MMMd", period.first, locale=locale)
            + "–"
            + format_skeleton("MMMd", period.last, locale=locale)
        )
        return gettext("Week %(week)d, %(year)d", week=week, year=year), days
    if period.kind == "month":
        return format_skeleton("yMMMM", period.first, locale=locale), None
    if period.kind == "quarter":
        quarter = (period.first.month - 1) // 3 + 1
        return gettext("Q%(quarter)d %(year)d", quarter=quarter, year=period.first.year), None
    if period.kind == "year":
        return gettext("Year %(year)d", year=period.first.year), None
    return format_date(period.first, "short") + " – " + format_date(period.last, "short"), None


def format_day(value) -> str:
    """A date as people read it, one format per language: 2026年11月29日, Nov 29, 2026."""
    return format_date(value, "medium") if value else ""


def format_moment(value) -> str:
    """A date and a 24-hour time in the user's language and the deployment's time zone."""
    return " ".join(moment_parts(value))


def moment_parts(value) -> tuple[str, ...]:
    """format_moment's day and time, apart: a page keeps each whole on its line."""
    if not value:
        return ()
    return format_date(value, "medium"), format_time(value, "HH:mm")

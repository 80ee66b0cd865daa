"""What templates may call: date filters, labels, language names, the sparkline."""

from flask_babel import get_locale, get_translations
from jinja2 import pass_eval_context
from markupsafe import Markup

from inspector.extensions import db
from inspector.i18n.labels import (
    APPEAL_STATUS_LABELS,
    ARCHIVE_STATUS_LABELS,
    CHECKLIST_STATUS_LABELS,
    FINDING_STATUS_LABELS,
    GRADE_LABELS,
    ITEM_TYPE_LABELS,
    LANGUAGE_NAMES,
    METHOD_LABELS,
    PERIOD_KIND_LABELS,
    ROLE_LABELS,
    SITE_KIND_LABELS,
    STATUS_LABELS,
    answer_label,
    format_day,
    moment_parts,
    period_label,
    period_parts,
)
from inspector.models import User
from inspector.scores.charts import sparkline, trend_chart


def register(app):
    """Make date formatting and language names available to templates."""
    app.context_processor(bound_gettext)
    # One format per kind in each language, as the field app shows them (static/js/ui.js):
    # 2026年11月29日 / Nov 29, 2026, and with the time 2026年11月29日 13:32 / Nov 29, 2026, 13:32.
    # A format named by an older template ('short', 'medium') is no longer a choice.
    # On a page, a date never breaks inside ("2026年11月30 / 日", "Nov / 14, 2026"); a moment
    # may break between its day and its time only.
    app.jinja_env.filters["datetime"] = lambda value, _fmt=None: unbroken(*moment_parts(value))
    app.jinja_env.filters["date"] = lambda value, _fmt=None: unbroken(format_day(value))
    app.jinja_env.filters["user_name"] = user_name
    app.jinja_env.filters["said"] = said
    app.jinja_env.filters["points"] = lambda value: f"{value:g}" if value is not None else ""
    app.jinja_env.globals.update(
        get_locale=get_locale,
        ITEM_TYPE_LABELS=ITEM_TYPE_LABELS,
        METHOD_LABELS=METHOD_LABELS,
        CHECKLIST_STATUS_LABELS=CHECKLIST_STATUS_LABELS,
        STATUS_LABELS=STATUS_LABELS,
        ARCHIVE_STATUS_LABELS=ARCHIVE_STATUS_LABELS,
        FINDING_STATUS_LABELS=FINDING_STATUS_LABELS,
        APPEAL_STATUS_LABELS=APPEAL_STATUS_LABELS,
        GRADE_LABELS=GRADE_LABELS,
        PERIOD_KIND_LABELS=PERIOD_KIND_LABELS,
        period_label=period_label,
        period_stacked=period_stacked,
        # The SVG is built from numbers only (inspector/scores/charts.py): no text reaches it.
        sparkline=lambda values: Markup(sparkline(values)),  # nosec B704
        # Numbers and period keys only, escaped in charts.py.
        trend_chart=lambda points: Markup(trend_chart(points)),  # nosec B704
        answer_label=answer_label,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        ROLE_LABELS=ROLE_LABELS,
        SITE_KIND_LABELS=SITE_KIND_LABELS,
    )


def period_stacked(period) -> Markup:
    """period_label() for a narrow column: a week's days on a line of their own under its
    name, a little smaller and never broken inside ("2026年第49周 / 11月30日–12月6日")."""
    name, days = period_parts(period)
    if not days:
        return Markup.escape(name)
    return Markup('%s <span class="period-days">%s</span>') % (name, days)


def unbroken(*parts) -> Markup:
    """Each of `parts` (escaped) in a span that CSS keeps on one line (.nowrap)."""
    span = Markup('<span class="nowrap">%s</span>')
    return Markup(" ").join(span % part for part in parts if part)


def said(labels):
    """A table of lazy labels said once in this render's language: a loop over 200 rows then
    looks each up in a dict instead of asking Flask-Babel for the catalogue 200 times."""
    return {key: str(label) for key, label in labels.items()}


def user_name(user_id):
    user = db.session.get(User, user_id)
    return user.name if user else "?"


def bound_gettext():
    """gettext and its kin bound to the language of this render, for every template rendered.

    Flask-Babel's own, installed on the Jinja environment, look up the request's language and
    catalogue again on every call (several context lookups each), and being context functions
    make Jinja derive a new context for each call inside a loop: the score sheet's 200 rows
    made 700 such calls, a third of its 14 ms render (docs/benchmarks.md). These behave as
    Jinja's "newstyle" ones (autoescaped, formatted with the call's variables, `num` set for
    plurals, `context` for pgettext) over the catalogue looked up once per render_template,
    so force_locale (e-mails in their reader's language) still applies. Templates rendered
    without Flask's render_template, and macros imported without context, use Flask-Babel's.
    """
    translations = get_translations()
    gettext = newstyle(translations.ugettext)
    return {
        "_": gettext,
        "gettext": gettext,
        "ngettext": newstyle(translations.ungettext, plural=True),
        "pgettext": newstyle(translations.upgettext, context=True),
    }


def newstyle(lookup, plural=False, context=False):
    """Jinja's newstyle wrapper (jinja2.ext's i18n extension) around one catalogue lookup."""

    @pass_eval_context
    def translate(__eval_ctx, *args, **variables):
        if plural:
            variables.setdefault("num", args[-1])
        elif context:
            variables.setdefault("context", args[0])
        text = lookup(*args)
        if __eval_ctx.autoescape:
            # A message of our own catalogue, as Jinja's wrapper trusts it; the variables
            # formatted into it are escaped by Markup's %.
            text = Markup(text)  # nosec B704
        return text % variables

    return translate

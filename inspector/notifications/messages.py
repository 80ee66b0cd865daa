"""What a message says: a title, a few lines and a link, in the reader's language.

One renderer for every channel: the inbox draws it when the person reads it, robots and email
when the delivery is made. Text from records (titles, comments) is shortened, never trusted.
"""

import os
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import select

from inspector.extensions import db
from inspector.i18n.labels import APPEAL_STATUS_LABELS, GRADE_LABELS, format_day, period_label
from inspector.models import Appeal, Department, Site, User
from inspector.periods import parse_period

TEXT_LIMIT = 200


@dataclass
class Message:
    title: str
    lines: list[str] = field(default_factory=list)
    url: str | None = None  # a path on this site (the inbox) or an absolute link (elsewhere)
    link_text: str = ""


def render(name, data, locale, department=None, absolute=True):
    """The message for event `name` with `data`, in `locale`, for a reader in `department`."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        build = RENDERERS.get(name.split(".")[0], render_other)
        message = build(name, data or {}, department)
        message.title = str(message.title)
        message.lines = [str(line) for line in message.lines]
        message.link_text = gettext("Open in Inspector")
    if message.url and absolute:
        base = current_app.config.get("BASE_URL") or default_base_url()
        message.url = urljoin(base, message.url)
    return message


def default_base_url():
    """Where `make run` serves (scripts/serve exports PORT); set BASE_URL in production."""
    return f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"


def short(text, limit=TEXT_LIMIT):
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def path(endpoint, **values):
    if has_request_context():
        return url_for(endpoint, **values)
    with current_app.test_request_context():
        return url_for(endpoint, **values)


def site_name(code):
    name = db.session.scalar(select(Site.name).where(Site.code == code)) if code else None
    return short(name or code or "?", 100)


def department_name(code):
    name = db.session.scalar(select(Department.name).where(Department.code == code))
    return short(name or code or "?", 100)


def percent(value):
    return "—" if value is None else f"{value:g}%"


def render_inspection(name, data, _department):
    site = site_name(data.get("site"))
    score = percent((data.get("score") or {}).get("percent"))
    url = path("inspections.detail", uuid=data.get("id", ""))
    review = data.get("review") or {}
    if name == "inspection.submitted":
        lines = [
            gettext(
                "%(who)s submitted the inspection of %(site)s (%(department)s): %(score)s.",
                who=person(data.get("inspector")),
                site=site,
                department=department_name(data.get("department")),
                score=score,
            )
        ]
        if data.get("critical_failed"):
            lines.append(gettext("A veto item failed."))
        return Message(gettext("To review: %(site)s", site=site), lines, url)
    if name == "inspection.returned":
        lines = [
            gettext(
                "%(who)s returned your inspection of %(site)s: “%(comment)s”",
                who=person(review.get("by")),
                site=site,
                comment=short(review.get("comment")),
            ),
            gettext("Correct it and submit it again."),
        ]
        return Message(gettext("Returned for correction: %(site)s", site=site), lines, url)
    lines = [gettext("%(who)s approved it: %(score)s.", who=person(review.get("by")), score=score)]
    return Message(gettext("Inspection approved: %(site)s", site=site), lines, url)


def render_finding(name, data, _department):
    title, site = short(data.get("title"), 100), site_name(data.get("site"))
    where = gettext("At %(site)s, due %(due)s.", site=site, due=due_day(data.get("due")))
    url = path("findings.detail", uuid=data.get("id", ""))
    fix, verification = data.get("fix") or {}, data.get("verification") or {}
    if name == "finding.opened":
        return Message(gettext("To fix: %(title)s", title=title), [where], url)
    if name == "finding.fixed":
        lines = [gettext("%(who)s fixed it: %(note)s", who=person(fix.get("by")),
                         note=short(fix.get("note")) or "—"),
                 gettext("Check the after photo and accept or reject the fix.")]  # fmt: skip
        return Message(gettext("Fixed, to verify: %(title)s", title=title), lines, url)
    if name == "finding.closed":
        if data.get("resolution") == "withdrawn":
            line = gettext("Withdrawn: the corrected inspection no longer fails this item.")
        else:
            line = gettext("%(who)s accepted the fix.", who=person(verification.get("by")))
        return Message(gettext("Closed: %(title)s", title=title), [line, where], url)
    if name == "finding.reopened":
        line = gettext(
            "%(who)s rejected the fix: “%(comment)s”",
            who=person(verification.get("by")),
            comment=short(verification.get("comment")),
        )
        return Message(gettext("Fix rejected: %(title)s", title=title), [line, where], url)
    late = days_late(data.get("due"))
    late_line = ngettext(
        "It was due %(due)s: %(num)d day late.",
        "It was due %(due)s: %(num)d days late.",
        late,
        due=due_day(data.get("due")),
    )
    lines = [gettext("At %(site)s.", site=site), late_line]
    if name == "finding.escalated":
        lines.insert(0, gettext("%(department)s has not fixed it yet.",
                                department=department_name(data.get("department"))))  # fmt: skip
        return Message(gettext("Still overdue: %(title)s", title=title), lines, url)
    return Message(gettext("Overdue: %(title)s", title=title), lines, url)


def person(username):
    """Who did it, by the name people know them by (the record carries the username)."""
    if not username:
        return "?"
    name = db.session.scalar(select(User.display_name).where(User.username == username))
    return name or username


def due_day(due):
    """A date (ISO text) as the reader's language writes dates: 2026年12月6日, Dec 6, 2026."""
    try:
        return format_day(date.fromisoformat(due))
    except (TypeError, ValueError):
        return "—"


def days_late(due):
    from inspector.clock import local_now

    try:
        return max(0, (local_now().date() - date.fromisoformat(due)).days)
    except (TypeError, ValueError):
        return 0


def sheet_lines(rows, department):
    """A department's own row, or the best and worst of the ranking."""
    if department:
        mine = [row for row in rows if row.get("department") == department]
        return [row_line(row) for row in mine]
    ranked = [row for row in rows if row.get("rank") is not None]
    shown = ranked if len(ranked) <= 6 else ranked[:3] + ranked[-3:]
    return [row_line(row) for row in shown]


def row_line(row):
    grade = GRADE_LABELS.get(row.get("grade") or "", "—")
    line = gettext(
        "%(rank)s. %(name)s %(score)s %(grade)s",
        rank=row.get("rank") or "—",
        name=short(row.get("name"), 100),
        score=percent(row.get("percent")),
        grade=grade,
    )
    if row.get("vetoed"):
        line += " " + gettext("(vetoed)")
    return line


def render_period(_name, data, department):
    first, last = due_day(data.get("from")), due_day(data.get("to"))
    rows = (data.get("final") or {}).get("departments") or []
    lines = [gettext("The scores of %(first)s – %(last)s are final.", first=first, last=last)]
    lines += sheet_lines(rows, department)
    url = path("scores.index", period=data.get("period") or f"{data.get('from')}..{data.get('to')}")
    return Message(
        gettext("Scores final: %(first)s – %(last)s", first=first, last=last), lines, url
    )


def render_digest(_name, data, department):
    rows = data.get("departments") or []
    lines = [gettext("Last week, %(first)s – %(last)s:", first=due_day(data.get("from")),
                     last=due_day(data.get("to")))]  # fmt: skip
    lines += sheet_lines(rows, department)
    counted = [row for row in rows if not department or row.get("department") == department]
    lines.append(
        gettext(
            "Findings to fix: %(open)d, of which overdue: %(late)d.",
            open=sum(row.get("open_findings", 0) for row in counted),
            late=sum(row.get("overdue_findings", 0) for row in counted),
        )
    )
    url = path("scores.index", period=data.get("period", ""))
    return Message(gettext("Weekly summary %(period)s", period=said_period(data)), lines, url)


def said_period(data):
    """The digest's period as people say it (2026年第48周), else its key as sent."""
    key = str(data.get("period") or "")
    try:
        return period_label(parse_period(key))
    except ValueError:
        return short(key, 32)


def appealed_item(data):
    """The appealed checklist item in its own words (the payload names it by its key)."""
    appeal = db.session.scalar(select(Appeal).where(Appeal.uuid == str(data.get("id") or "")))
    return short(appeal.item.text if appeal else data.get("item") or "?", 64)


def render_appeal(name, data, _department):
    item = appealed_item(data)
    url = path("appeals.detail", uuid=data.get("id") or "")
    if name == "appeal.filed":
        lines = [short(data.get("reason"), 140) or "—"]
        return Message(gettext("Appeal to decide: item %(item)s", item=item), lines, url)
    # The ruling in the reader's words ("Overturned on appeal"), never the API's status word.
    ruling = APPEAL_STATUS_LABELS.get(str(data.get("status")), "?")
    title = gettext("Appeal decided (%(status)s): item %(item)s", status=ruling, item=item)
    comment = short((data.get("decision") or {}).get("comment"))
    return Message(title, [comment] if comment else [], url)


def render_other(name, data, _department):
    if name == "test":
        return Message(
            gettext("Test message from Inspector"),
            [gettext("If you can read this, the channel works.")],
            path("main.index"),
        )
    return Message(name, [gettext("Record %(id)s", id=short(data.get("id"), 64))])


def render_archive(name, data, _department):
    first, last = due_day(data.get("from")), due_day(data.get("to"))
    url = path("documents.archives")
    if name == "archive.ready":
        title = gettext("Evidence archive ready: %(first)s – %(last)s", first=first, last=last)
        return Message(title, [gettext("Download it from the archives page.")], url)
    title = gettext("Evidence archive failed: %(first)s – %(last)s", first=first, last=last)
    return Message(title, [gettext("Ask an administrator to look at the worker's log.")], url)


RENDERERS = {
    "inspection": render_inspection,
    "finding": render_finding,
    "period": render_period,
    "digest": render_digest,
    "appeal": render_appeal,
    "archive": render_archive,
}


def markdown(message):
    """The message as the markdown WeCom and DingTalk robots show."""
    text = f"### {message.title}\n" + "\n".join(f"> {line}" for line in message.lines)
    if message.url:
        text += f"\n\n[{message.link_text}]({message.url})"
    return text


def plain_text(message):
    text = message.title + "\n\n" + "\n".join(message.lines)
    return text + (f"\n\n{message.url}\n" if message.url else "\n")

"""Score-sheet screens: ranking, department drill-down, hot spots, coverage, print, close."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from inspector.appeals.queries import pending_by_department, pending_in
from inspector.auth.permissions import role_required
from inspector.clock import local_now
from inspector.documents.bulletin import change_text
from inspector.documents.files import MEDIA_TYPES, bulletin_context, bulletin_file
from inspector.errors import return_to
from inspector.extensions import db
from inspector.findings.queries import open_counts_by_code
from inspector.i18n.labels import GRADE_LABELS
from inspector.i18n.templating import user_name
from inspector.inspections.permissions import visible_to
from inspector.models import ClosedPeriod, Department, Inspection, Role
from inspector.organization.queries import department_or_404
from inspector.periods import KINDS, parse_period, period_containing
from inspector.scores import closing
from inspector.scores.cache import memoize
from inspector.scores.charts import short_period_label
from inspector.scores.coverage import weekly_coverage
from inspector.scores.exports import STYLES, download
from inspector.scores.history import sheet_with_history
from inspector.scores.hotspots import failed_responses, hot_spots
from inspector.scores.rollup import counted
from inspector.scoring import mean_percent

bp = Blueprint("scores", __name__, url_prefix="/scores")


def chosen_period():
    """The period in ?period= (a key), else the current one of ?kind= (default week)."""
    kind = request.args.get("kind", "week")
    if request.args.get("period"):
        try:
            return parse_period(request.args["period"])
        except ValueError:
            abort(400)
    if kind not in KINDS:
        abort(400)
    return period_containing(local_now().date(), kind)


def is_final():
    return request.args.get("final") == "1"


@bp.route("/")
@login_required
def index():
    """Rank the departments for a period, with change, trend and veto."""
    period, final = chosen_period(), is_final()
    facts = period_facts(period)
    reviewer = current_user.role in (Role.SUPERVISOR, Role.ADMIN)
    return render_template(
        "scores/index.html",
        sheet_html=sheet_html(period, final, facts, reviewer),
        period=period,
        closed=facts["closed"],
    )


def period_facts(period):
    """The close in force for `period` and its pending appeals per department code.

    Cached with the sheets (both are of the data the scores version counts): a plain dict,
    never an entity, since later requests share it.
    """

    def compute():
        closed = ClosedPeriod.in_force(period.first, period.last)
        zone = current_app.config["TIMEZONE"]
        codes = dict(db.session.execute(select(Department.id, Department.code)).all())
        appeals = pending_by_department(period.first, period.last, zone)
        return {
            "closed": closed
            and {
                "id": closed.id,
                "closed_by_id": closed.closed_by_id,
                "closed_at": closed.closed_at,
            },
            "appeals": {codes[d]: n for d, n in appeals.items()},
        }

    return memoize(("period_facts", period.key), compute)


def sheet_html(period, final, facts, reviewer):
    """The sheet's HTML: everything on the page but what is the user's own.

    Rendering it costs more than the rest of the request, and it is the same for every
    supervisor (or every other role) reading this period in this language today, until the
    numbers (the scores version) or the open findings (part of the key) change.
    """
    today = local_now().date()
    findings = open_counts_by_code(today)
    key = ("sheet_html", str(get_locale()), today, period.key, final, reviewer)
    key += (tuple(sorted(findings.items())),)
    if facts["closed"]:
        key += (user_name(facts["closed"]["closed_by_id"]),)  # it says who closed the period
    return memoize(
        key,
        lambda: Markup(  # nosec B704: a template rendered with autoescaping
            render_template(
                "scores/_sheet.html",
                sheet=sheet_with_history(period, final, current_app.config),
                period=period,
                final=final,
                closed=facts["closed"],
                appeals=facts["appeals"],
                findings=findings,
                kinds=KINDS,
                reviewer=reviewer,
            )
        ),
    )


@bp.route("/departments/<code>")
@login_required
def department(code):
    """Drill down from a department to its sites, inspections and hot spots."""
    dept = department_or_404(code)
    period = chosen_period()
    inspections = db.session.scalars(
        visible_to(current_user)
        .where(
            Inspection.department_id == dept.id,
            *counted(period.first, period.last, is_final(), current_app.config["TIMEZONE"]),
        )
        .order_by(Inspection.submitted_at.desc())
    ).all()
    sites = site_summaries(inspections)
    spots = hot_spots(period.first, period.last, current_app.config, department=dept, limit=10)
    return render_template(
        "scores/department.html",
        department=dept,
        period=period,
        inspections=inspections,
        sites=sites,
        spots=spots,
        final=is_final(),
        trend=department_trend(dept, period, is_final()),
    )


def department_trend(dept, period, final):
    """(short period label, percent) for the last 12 periods, ending with `period`."""
    history = sheet_with_history(period, final, current_app.config)
    row = next((r for r in history["departments"] if r["department"] == dept.code), None)
    values = row["trend"] if row else [None] * len(history["periods"])
    return list(zip(map(short_period_label, history["periods"]), values, strict=True))


def site_summaries(inspections):
    """Per site: its inspections in the period and their mean percent."""
    by_site = {}
    for inspection in inspections:
        by_site.setdefault(inspection.site, []).append(inspection)
    return sorted(
        (
            {"site": site, "count": len(rows), "percent": mean_percent(r.percent for r in rows)}
            for site, rows in by_site.items()
        ),
        key=lambda s: (s["percent"] is None, -(s["percent"] or 0)),
    )


@bp.route("/hotspots")
@login_required
def hotspots():
    """The items that fail most in a period, overall or for one department."""
    period = chosen_period()
    dept = department_arg()
    spots = hot_spots(period.first, period.last, current_app.config, department=dept)
    return render_template("scores/hotspots.html", spots=spots, period=period, department=dept)


@bp.route("/hotspots/<checklist_code>/<item_key>")
@login_required
def hotspot(checklist_code, item_key):
    """The failed answers and photos behind one hot spot."""
    period = chosen_period()
    dept = department_arg()
    responses = failed_responses(
        current_user,
        checklist_code,
        item_key,
        period.first,
        period.last,
        current_app.config,
        department=dept,
    )
    return render_template(
        "scores/hotspot.html",
        responses=responses,
        period=period,
        department=dept,
        item_key=item_key,
        checklist_code=checklist_code,
    )


def department_arg():
    code = request.args.get("department")
    if not code:
        return None
    return department_or_404(code)


@bp.route("/coverage")
@login_required
def coverage():
    """A week's rounds (this one unless ?period=): done, due and overdue sites, and totals."""
    chosen = chosen_period() if request.args.get("period") else None
    week = period_containing(chosen.first if chosen else local_now().date(), "week")
    rows = weekly_coverage(week, current_app.config)
    totals = {
        "sites_done": sum(row["state"] == "done" for row in rows),
        "sites": len(rows),
        "rounds_done": sum(min(row["done"], row["expected"]) for row in rows),
        "rounds": sum(row["expected"] for row in rows),
    }
    this_week = period_containing(local_now().date(), "week")
    return render_template(
        "scores/coverage.html", rows=rows, period=week, totals=totals, this_week=this_week
    )


@bp.route("/print")
@login_required
def print_sheet():
    """The A4 score sheet (通报) to print: the same document as the PDF."""
    period, final = chosen_period(), is_final()
    number = request.args.get("number", "")
    context = bulletin_context(current_user, period.first, period.last, final, number)
    return render_template("documents/bulletin.html", change_text=change_text, **context)


@bp.route("/bulletin")
@login_required
def bulletin():
    """Download the 通报 as Word (?format=docx) or PDF, with an optional 文号 (?number=)."""
    kind = request.args.get("format")
    if kind not in MEDIA_TYPES:
        abort(400)
    period, final = chosen_period(), is_final()
    number = request.args.get("number")
    return bulletin_file(current_user, period.first, period.last, final, kind, number)


@bp.route("/export.<any(csv, xlsx):fmt>")
@login_required
def export(fmt):
    """Download the score sheet as CSV or XLSX, with the change and findings the screen shows."""
    period, final = chosen_period(), is_final()
    sheet = sheet_with_history(period, final, current_app.config)
    name = f"scores-{period.key}{'-final' if final else ''}"
    style = request.args.get("style", "report")
    if style not in STYLES:
        abort(400)
    findings = open_counts_by_code(local_now().date())
    return download(sheet, final, fmt, GRADE_LABELS, name, style, findings)


@bp.route("/close", methods=["GET", "POST"])
@role_required(Role.SUPERVISOR, Role.ADMIN)
def close():
    """Show what is unfinished in the period, then freeze its numbers once confirmed."""
    period = chosen_period()
    today = local_now().date()
    if request.method == "GET" or request.form.get("confirm") != "yes":
        return render_template(
            "scores/close.html",
            period=period,
            ended=period.last < today,
            summary=closing.closing_summary(period, current_app.config["TIMEZONE"]),
            appeals=pending_in(period.first, period.last, current_app.config["TIMEZONE"]),
            closed=ClosedPeriod.in_force(period.first, period.last),
        )
    return_to(url_for("scores.close", period=period.key))
    early = request.form.get("early") == "yes"
    closing.close_period(current_user, period, current_app.config, today, early=early)
    db.session.commit()
    flash(_("Period %(period)s closed: its numbers are now final.", period=period.key), "success")
    return redirect(url_for("scores.index", period=period.key), code=303)


@bp.route("/reopen/<int:closed_id>", methods=["POST"])
@role_required(Role.ADMIN)
def reopen(closed_id):
    """Let a closed period's numbers change again."""
    closed = db.session.get(ClosedPeriod, closed_id)
    if closed is None or closed.reopened_at is not None:
        abort(404)
    closing.reopen_period(current_user, closed)
    db.session.commit()
    flash(_("Period reopened."), "success")
    period = parse_period(closed.first.isoformat() + ".." + closed.last.isoformat())
    key = period_containing(closed.first, closed.kind).key if closed.kind in KINDS else period.key
    return redirect(url_for("scores.index", period=key), code=303)

"""Round screens: the list, planning a round (sites by hand or a sample, repeating weekly or
monthly), a round's assignments and progress, reassigning."""

import random
import uuid as uuid_module

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from inspector.auth.permissions import role_required
from inspector.clock import local_now
from inspector.errors import ValidationError
from inspector.extensions import db
from inspector.inspections.permissions import AUTHORS
from inspector.models import Assignment, Checklist, Department, Round, Site, SiteKind, User
from inspector.periods import last_periods, parse_day, parse_period, period_containing
from inspector.rounds.permissions import (
    PLANNERS,
    get_assignment_or_404,
    get_round_or_404,
    round_assignments,
    visible_assignments,
)
from inspector.rounds.progress import by_week, progress
from inspector.rounds.serialize import assignments_json
from inspector.rounds.services import MAX_OCCURRENCES, create_round, occurrences, reassign

bp = Blueprint("rounds", __name__, url_prefix="/rounds")


@bp.route("/")
@login_required
def index():
    """The rounds the user may see, latest first, each with its progress."""
    stmt = select(Round).order_by(Round.starts_on.desc(), Round.id.desc()).limit(200)
    if current_user.role not in PLANNERS:
        stmt = stmt.where(
            Round.id.in_(visible_assignments(current_user, select(Assignment.round_id)))
        )
    today = local_now().date()
    rounds = []
    for round_ in db.session.scalars(stmt):
        rows = assignments_json(round_assignments(current_user, round_), current_app.config, today)
        rounds.append((round_, progress(rows)["total"]))
    return render_template("rounds/index.html", rounds=rounds)


WEEKS_SHOWN = 8


@bp.route("/coverage")
@role_required(*PLANNERS)
def coverage():
    """Plan against done by week: assigned, done, could not, refused, overdue; this week and
    the weeks before, per inspector and per department."""
    today = local_now().date()
    try:
        week = parse_period(request.args.get("week") or "")
        week = period_containing(week.first, "week")
    except ValueError:
        week = period_containing(today, "week")
    weeks = last_periods(week, WEEKS_SHOWN)
    stmt = (
        select(Assignment)
        .join(Round, Round.id == Assignment.round_id)
        .where(Round.ends_on >= weeks[0].first, Round.ends_on <= weeks[-1].last)
    )
    rows = assignments_json(db.session.scalars(stmt).all(), current_app.config, today)
    history = by_week(rows, weeks)
    people = {u.username: u.name for u in db.session.scalars(select(User))}
    departments = {d.code: d.name for d in db.session.scalars(select(Department))}
    return render_template(
        "rounds/coverage.html", week=week, history=history, current=history[-1],
        names={"people": people, "departments": departments},
    )  # fmt: skip


@bp.route("/new", methods=["GET", "POST"])
@role_required(*PLANNERS)
def create():
    """Plan a round, or a repeating series of them."""
    errors = {}
    form = request.form
    if request.method == "POST":
        try:
            first = plan_from_form(form)
        except ValidationError as error:
            db.session.rollback()
            errors = {key.split(".")[0]: message for key, message in error.fields.items()}
        else:
            db.session.commit()
            flash(_("Round planned."), "success")
            return redirect(url_for("rounds.detail", uuid=first.uuid), code=303)
    seed = form.get("seed") or random.SystemRandom().randrange(10**6)
    return render_template("rounds/new.html", errors=errors, seed=seed, **choices())


def choices() -> dict:
    return {
        "checklists": db.session.scalars(
            select(Checklist).where(Checklist.is_current).order_by(Checklist.name)
        ).all(),
        "sites": db.session.scalars(
            select(Site).where(Site.active).order_by(Site.kind != SiteKind.OFFICE, Site.code)
        ).all(),
        "departments": db.session.scalars(
            select(Department).where(Department.active).order_by(Department.code)
        ).all(),
        "inspectors": db.session.scalars(
            select(User).where(User.active, User.role.in_(AUTHORS)).order_by(User.username)
        ).all(),
        "kinds": list(SiteKind),
        # In the order of their sites' codes (新村一区, 二区 … not 一区, 七区, 三区).
        "communities": db.session.scalars(
            select(Site.community)
            .where(Site.active, Site.community != "")
            .group_by(Site.community)
            .order_by(func.min(Site.code))
        ).all(),
    }


def number(raw, field, default=None, low=0, high=10**6):
    if raw in (None, ""):
        if default is None:
            raise ValidationError({field: _("Enter a number.")})
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({field: _("Enter a whole number.")}) from None
    if not low <= value <= high:
        raise ValidationError(
            {field: _("Enter a number from %(low)d to %(high)d.", low=low, high=high)}
        )
    return value


def plan_from_form(form):
    """Build the API's round body from the form and plan each occurrence; return the first."""
    body = {
        "title": form.get("title", ""),
        "template": number(form.get("template"), "template", low=1, high=2**31),
        "from": form.get("from", ""),
        "to": form.get("to", ""),
        "inspectors": form.getlist("inspectors"),
        "hidden": form.get("hidden") == "1",
    }
    sampled = form.get("mode") == "sample"
    if sampled:
        seed = number(form.get("seed"), "seed", low=0, high=2**62)
        body["sample"] = {
            "size": number(form.get("size"), "size", low=1, high=10000),
            "pool": {
                key: form.getlist(key)
                for key in ("kinds", "departments", "communities")
                if form.getlist(key)
            },
            "strata": form.get("strata") or None,
            "seed": seed,
            "exclude_recent": number(
                form.get("exclude_recent"), "exclude_recent", default=0, high=1000
            ),
        }
    else:
        body["sites"] = form.getlist("sites")
        if not body["sites"]:
            raise ValidationError({"sites": _("Choose at least one site.")})
    repeat = form.get("repeat") if form.get("repeat") in ("week", "month") else None
    count = (
        number(form.get("count"), "count", default=1, low=1, high=MAX_OCCURRENCES) if repeat else 1
    )
    try:
        first_day, last_day = parse_day(body["from"]), parse_day(body["to"])
    except ValueError:
        # One round: the service names the bad date.
        return create_round(current_user, body)[0]
    series = str(uuid_module.uuid4()) if count > 1 else None
    planned = []
    for n, (start, end) in enumerate(occurrences(first_day, last_day, repeat, count)):
        occurrence = {**body, "from": start.isoformat(), "to": end.isoformat()}
        if sampled:
            # Each occurrence draws afresh: seed, seed + 1, ... (written down with each round).
            occurrence["sample"] = {**body["sample"], "seed": body["sample"]["seed"] + n}
        planned.append(create_round(current_user, occurrence, series=series)[0])
    return planned[0]


@bp.route("/<uuid>")
@login_required
def detail(uuid):
    """A round: its sites, who inspects each, where each stands, and the progress."""
    round_ = get_round_or_404(canonical(uuid), current_user)
    rows = assignments_json(
        round_assignments(current_user, round_), current_app.config, local_now().date()
    )
    series = []
    if round_.series:
        series = db.session.scalars(
            select(Round).where(Round.series == round_.series).order_by(Round.starts_on)
        ).all()
    inspectors = choices()["inspectors"] if current_user.role in PLANNERS else []
    return render_template(
        "rounds/detail.html", round=round_, rows=rows, progress=progress(rows),
        inspectors=inspectors, series=series, names=display_names(round_),
    )  # fmt: skip


def display_names(round_) -> dict:
    """Names to show for the usernames and department codes of a round's rows."""
    names = {"people": {}, "departments": {}}
    for assignment in round_.assignments:
        names["people"][assignment.inspector.username] = assignment.inspector.name
        department = assignment.site.department
        names["departments"][department.code] = department.name
    return names


def canonical(text):
    try:
        return str(uuid_module.UUID(text))
    except ValueError:
        return ""


@bp.route("/assignments/<uuid>/reassign", methods=["POST"])
@role_required(*PLANNERS)
def reassign_one(uuid):
    """Give an open assignment to another inspector (audited)."""
    assignment = get_assignment_or_404(canonical(uuid), current_user)
    reassign(current_user, assignment, request.form.get("inspector"), current_app.config)
    db.session.commit()
    flash(_("Reassigned."), "success")
    return redirect(url_for("rounds.detail", uuid=assignment.round.uuid), code=303)

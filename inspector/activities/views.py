"""Activity screens: record one on the phone in a minute, and a week's list per department."""

import re
import uuid as uuid_module

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from inspector.activities.permissions import RECORDERS, get_activity_or_404
from inspector.activities.queries import active_kinds, week_activities, week_expectations
from inspector.activities.services import save_activity, save_kind
from inspector.auth.permissions import role_required
from inspector.clock import local_now
from inspector.database import read_only_part
from inspector.errors import DomainError, ValidationError
from inspector.extensions import db
from inspector.files.services import store_file
from inspector.models import ActivityKind, Department, Role
from inspector.periods import parse_period, period_containing
from inspector.photos.services import stamp_lines_for, store_files

bp = Blueprint("activities", __name__, url_prefix="/activities")


def chosen_week():
    raw = request.args.get("week")
    if raw:
        try:
            period = parse_period(raw)
        except ValueError:
            abort(404)
        if period.kind == "week":
            return period
    return period_containing(local_now().date(), "week")


def chosen_department():
    if current_user.role == Role.LEAD:
        return db.session.get(Department, current_user.department_id)
    code = request.args.get("department")
    if not code:
        return None
    department = db.session.scalar(select(Department).where(Department.code == code))
    return department or abort(404)


@bp.route("/")
@login_required
def index():
    """List a week's activities, with each recurring kind done or missing per department."""
    week, department = chosen_week(), chosen_department()
    departments, expectations = week_expectations(week, department)
    return render_template(
        "activities/index.html",
        week=week,
        department=department,
        all_departments=db.session.scalars(
            select(Department).where(Department.active).order_by(Department.code)
        ).all(),
        departments=departments,
        expectations=expectations,
        # A week still running has a kind not done yet "due", not "missing".
        week_over=week.last < local_now().date(),
        activities=week_activities(current_user, week, department),
        may_record=current_user.role in RECORDERS or current_user.role == Role.LEAD,
    )


@bp.route("/<uuid>")
@login_required
def detail(uuid):
    """Show one activity with its photos and documents."""
    return render_template(
        "activities/detail.html", activity=get_activity_or_404(uuid, current_user)
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Record an activity: kind, title, date, who and where, photos and documents."""
    if request.method == "POST":
        activity = save_from_form()
        if activity is not None:
            db.session.commit()
            flash(_("Activity recorded."), "success")
            return redirect(url_for("activities.detail", uuid=activity.uuid), code=303)
        db.session.rollback()
    departments = db.session.scalars(
        select(Department).where(Department.active).order_by(Department.code)
    ).all()
    if current_user.role == Role.LEAD:
        departments = [d for d in departments if d.id == current_user.department_id]
    return render_template(
        "activities/new.html",
        kinds=active_kinds(),
        departments=departments,
        today=local_now().date().isoformat(),
        ident=request.form.get("uuid") or str(uuid_module.uuid4()),
    )


def save_from_form():
    """Store the form's photos and documents, then the activity; flash faults, None if any."""
    with read_only_part():
        stamp_lines = stamp_lines_for(current_user, current_app.config)
    photos, problems = store_files(current_user, request.files.getlist("photos"), stamp_lines)
    files = []
    for upload in request.files.getlist("files"):
        if upload and upload.filename:
            try:
                files.append(store_file(current_user, str(uuid_module.uuid4()), upload.stream,
                                        upload.filename)[0].uuid)  # fmt: skip
            except DomainError as error:
                problems.append(f"{upload.filename}: {error.message}")
    body = form_body(photos, files)
    participants = request.form.get("participants", "").strip()
    if participants and "participants" not in body:
        problems.append(_("Participants: a whole number of people, or empty."))
    if not problems:
        try:
            return save_activity(current_user, form_uuid(), body)[0]
        except ValidationError as error:
            problems.extend(
                _("%(field)s: %(fault)s", field=FIELD_LABELS[name], fault=message)
                if name in FIELD_LABELS
                else str(message)
                for name, message in error.fields.items()
            )
    for message in problems:
        flash(message, "error")
    return None


# The form's fields a fault may name (the API names them by these keys).
FIELD_LABELS = {
    "title": _l("Title"),
    "place": _l("Place"),
    "participant_names": _l("Names of participants (optional)"),
    "description": _l("Activity content"),
}


def form_uuid():
    try:
        return str(uuid_module.UUID(request.form.get("uuid", "")))
    except ValueError:
        return str(uuid_module.uuid4())


def form_body(photos, files):
    form = request.form
    body = {
        "kind": form.get("kind", ""),
        "title": form.get("title", "").strip() or _("Untitled activity"),
        "date": form.get("date", ""),
        "department": form.get("department") or None,
        "place": form.get("place", ""),
        "participant_names": form.get("participant_names", ""),
        "description": form.get("description", ""),
        "photos": photos,
        "files": files,
    }
    participants = form.get("participants", "").strip()
    if participants.isdigit() and len(participants) < 8:
        body["participants"] = int(participants)
    return body


KIND_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")


@bp.route("/kinds", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def kinds():
    """List the kinds of activity; add one, rename one, set its weekly expectation or retire it.

    A fault is shown beside the form it came from, with what was typed kept (422).
    """
    typed, problem = None, None
    if request.method == "POST":
        typed = request.form
        problem = kind_problem(typed)
        if problem is None:
            save_kind(current_user, typed["code"], typed["name"].strip(),
                      int(typed.get("per_week") or 0), active=offered(typed))  # fmt: skip
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("activities.kinds"), code=303)
    rows = db.session.scalars(
        select(ActivityKind).order_by(ActivityKind.position, ActivityKind.code)
    ).all()
    page = render_template("activities/kinds.html", kinds=rows, typed=typed, problem=problem)
    return page, 422 if problem else 200


def offered(form):
    """A kind's checkbox: its form sends "off", then "on" when ticked; a new kind is offered."""
    values = form.getlist("active")
    return not values or "on" in values


def kind_problem(form):
    if not KIND_CODE.match(form.get("code", "")):
        return _("A code: letters, digits, '-', '_' or '.', at most 32.")
    if form.get("new") and db.session.scalar(
        select(ActivityKind.id).where(ActivityKind.code == form["code"])
    ):
        # Adding must never rename an existing kind: that is its own form, above.
        return _("A kind with this code exists already: change it in its own form.")
    if not form.get("name", "").strip() or len(form["name"]) > 100:
        return _("Give the kind a name of at most 100 characters.")
    per_week = form.get("per_week") or "0"
    if not per_week.isdigit() or int(per_week) > 14:
        return _("Expected a week: a whole number from 0 to 14.")
    return None

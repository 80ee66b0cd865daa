"""API endpoints for evaluation frameworks (测评体系): import, versions, marks, evaluation."""

import re

from flask import abort, current_app, g, request
from jsonschema import Draft202012Validator
from sqlalchemy import select

from inspector.api import bp
from inspector.api.assessment_schemas import FRAMEWORK_IN, MARK_IN
from inspector.api.auth import roles
from inspector.api.pagination import page
from inspector.api.validation import describe, field_name, json_body
from inspector.clock import local_now
from inspector.errors import ValidationError
from inspector.extensions import db
from inspector.frameworks.closing import close_evaluation, current_answer, reopen_evaluation
from inspector.frameworks.exports import evaluation_xlsx
from inspector.frameworks.services import add_mark, framework_document, save_framework
from inspector.frameworks.workbook import read_framework, where_in_sheet
from inspector.inputs import int_arg
from inspector.limits import parse_int
from inspector.models import Department, Framework, Role
from inspector.scores.exports import XLSX

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MAX_WORKBOOK = 5 * 1024 * 1024


def framework_json(framework):
    document = framework_document(framework)
    return {
        "id": framework.id,
        "code": framework.code,
        "version": framework.version,
        "current": framework.is_current,
        "name": framework.name,
        "year": framework.year,
        "bonus_cap": framework.bonus_cap,
        "created_at": framework.created_at.isoformat(),
        "indicators": [
            {
                "section": "",
                "content": "",
                "criteria": "",
                "points": None,
                "items": [],
                "activity_kinds": [],
                "target": None,
                "veto": False,
                "bonus": False,
                **indicator,
            }
            for indicator in document["indicators"]
        ],
    }


def get_framework_or_404(framework_id):
    framework = db.session.get(Framework, framework_id)
    if framework is None:
        abort(404, "No such framework.")
    return framework


@bp.get("/frameworks")
def frameworks():
    """List the current version of each framework (all versions with all=true)."""
    stmt = select(Framework)
    if request.args.get("all") != "true":
        stmt = stmt.where(Framework.is_current)
    return page(stmt, Framework.id, framework_json)


@bp.get("/frameworks/<int:id>")
def framework(id):
    """Show one framework version."""
    return framework_json(get_framework_or_404(id))


@bp.post("/frameworks")
@roles(Role.ADMIN)
def create_framework():
    """Import a framework as JSON or an XLSX upload; an existing code gets a new version."""
    if request.mimetype != "multipart/form-data":
        created = save_framework(g.api_user, json_body(FRAMEWORK_IN))
    else:
        document, rows, columns = workbook_document()
        try:
            check_document(document)
            created = save_framework(g.api_user, document)
        except ValidationError as error:  # name the row and column the person sees
            fields = {where_in_sheet(k, rows, columns): v for k, v in error.fields.items()}
            first = next(iter(fields.items()))
            raise ValidationError(fields, f"{first[0]}: {first[1]}") from None
    db.session.commit()
    return framework_json(created), 201


def workbook_document():
    """The framework document of a multipart XLSX upload and its form fields."""
    upload = request.files.get("file")
    if upload is None:
        raise ValidationError({"file": "Attach the workbook as multipart field 'file'."})
    data = upload.stream.read(MAX_WORKBOOK + 1)
    if len(data) > MAX_WORKBOOK:
        abort(413, "A framework workbook may be at most 5 MB.")
    year = form_int("year", local_now().year, 2000, 2100)
    code = request.form.get("code") or f"framework-{year}"
    if not CODE.match(code):
        raise ValidationError({"code": "Letters, digits, '-', '_' or '.', at most 64."})
    name = (request.form.get("name") or "").strip() or (upload.filename or code).rsplit(".", 1)[0]
    bonus_cap = form_int("bonus_cap", None, 0, 1000)
    return read_framework(data, code, name[:200], year, bonus_cap)


def check_document(document):
    """The JSON body's checks for a document read from a workbook: it must be one."""
    errors = sorted(Draft202012Validator(FRAMEWORK_IN).iter_errors(document), key=lambda e: e.path)
    if errors:
        fields = {}
        for error in errors:
            fields.setdefault(field_name(error), describe(error))
        raise ValidationError(fields, "The framework has faults.")


def form_int(name, default, low, high):
    raw = request.form.get(name)
    if raw in (None, ""):
        return default
    try:
        return parse_int(raw, low, high)
    except ValueError:
        raise ValidationError({name: f"A whole number from {low} to {high}."}) from None


@bp.post("/frameworks/<int:id>/marks")
@roles(Role.ADMIN, Role.SUPERVISOR)
def mark(id):
    """Mark a material, survey or veto indicator for a department or the whole unit."""
    framework = get_framework_or_404(id)
    made = add_mark(g.api_user, framework, json_body(MARK_IN))
    db.session.commit()
    return mark_json(framework, made), 201


def mark_json(framework, made):
    return {
        "id": made.id,
        "framework": framework.id,
        "indicator": made.indicator,
        "department": made.department.code if made.department else None,
        "year": made.year,
        "mark": made.mark,
        "note": made.note,
        "by": made.marked_by.username,
        "at": made.marked_at.isoformat(),
    }


@bp.post("/frameworks/<int:id>/close")
@roles(Role.ADMIN, Role.SUPERVISOR)
def close_year(id):
    """Close the year's evaluation: every department's results and the unit's are kept."""
    framework = get_framework_or_404(id)
    year = int_arg("year", framework.year, low=2000, high=2100)
    zone = current_app.config["TIMEZONE"]
    close_evaluation(g.api_user, framework, year, zone)
    db.session.commit()
    return current_answer(framework, year, None, zone)


@bp.post("/frameworks/<int:id>/reopen")
@roles(Role.ADMIN)
def reopen_year(id):
    """Reopen a closed year: the evaluation follows the records again."""
    framework = get_framework_or_404(id)
    year = int_arg("year", framework.year, low=2000, high=2100)
    reopen_evaluation(g.api_user, framework, year)
    db.session.commit()
    return current_answer(framework, year, None, current_app.config["TIMEZONE"])


@bp.get("/frameworks/<int:id>/evaluation")
def framework_evaluation(id):
    """The year's evaluation of a department, or of the whole unit."""
    framework = get_framework_or_404(id)
    year = int_arg("year", framework.year, low=2000, high=2100)
    department = None
    if request.args.get("department"):
        department = db.session.scalar(
            select(Department).where(Department.code == request.args["department"])
        )
        if department is None:
            abort(404, "No such department.")
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "xlsx"):
        abort(400, "'format' must be json or xlsx.")
    answer = current_answer(framework, year, department, current_app.config["TIMEZONE"])
    if fmt == "json":
        return answer
    name = f"{framework.code}-{year}-{answer['department'] or 'unit'}.xlsx"
    return current_app.response_class(
        evaluation_xlsx(framework, answer),
        mimetype=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )

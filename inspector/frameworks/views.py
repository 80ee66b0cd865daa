"""Framework screens: import and edit (admins), the evaluation, and the evidence binder (台账)."""

import json

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from inspector.activities.queries import active_kinds
from inspector.api.assessment_schemas import METHODS
from inspector.api.frameworks import check_document
from inspector.auth.permissions import role_required
from inspector.clock import local_now
from inspector.documents.files import send_document
from inspector.documents.pdf import PDF, render_pdf
from inspector.errors import ValidationError
from inspector.extensions import db
from inspector.frameworks import editor
from inspector.frameworks.binder import binder_sections, documents_zip
from inspector.frameworks.closing import (
    close_evaluation,
    closure_of,
    current_answer,
    reopen_evaluation,
)
from inspector.frameworks.services import add_mark, framework_document, save_framework
from inspector.frameworks.workbook import read_framework, said_place, where_in_sheet
from inspector.inputs import int_arg, parse_json
from inspector.limits import number_or_text, parse_int
from inspector.models import Department, Framework, Role

bp = Blueprint("frameworks", __name__, url_prefix="/frameworks")


def get_framework_or_404(framework_id):
    return db.session.get(Framework, framework_id) or abort(404)


def chosen_department():
    code = request.args.get("department")
    if current_user.role == Role.LEAD and not code:
        return db.session.get(Department, current_user.department_id)
    if not code:
        return None
    return db.session.scalar(select(Department).where(Department.code == code)) or abort(404)


@bp.route("/")
@login_required
def index():
    """List the current frameworks; admins import a new one or a new version."""
    return render_index()


def render_index(typed=None, problems=()):
    """The list and the import form; after a refused import, its faults and what was typed
    (the file must be chosen again: browsers never keep one), 422."""
    frameworks = db.session.scalars(
        select(Framework).where(Framework.is_current).order_by(Framework.year.desc())
    ).all()
    page = render_template(
        "frameworks/index.html", frameworks=frameworks, typed=typed or {}, problems=problems
    )
    return page, 422 if problems else 200


@bp.route("/import", methods=["POST"])
@role_required(Role.ADMIN)
def import_framework():
    """Import a framework from an XLSX workbook or a JSON file."""
    upload = request.files.get("file")
    data = upload.stream.read(5 * 1024 * 1024) if upload else b""
    try:
        if data.startswith(b"PK"):
            year = form_year()
            document, rows, columns = read_framework(
                data, request.form.get("code") or f"framework-{year}",
                request.form.get("name") or upload.filename.rsplit(".", 1)[0], year,
            )  # fmt: skip
            try:
                framework = save_framework(current_user, document)
            except ValidationError as error:
                fields = {where_in_sheet(k, rows, columns): v for k, v in error.fields.items()}
                raise ValidationError(fields) from None
        else:
            framework = save_framework(current_user, parsed_json(data))
    except ValidationError as error:
        db.session.rollback()
        problems = [
            str(message) if field in FORM_FIELDS else _("%(field)s: %(fault)s",
                                                       field=said_place(field), fault=message)
            for field, message in error.fields.items()
        ]  # fmt: skip
        return render_index(request.form, problems)
    db.session.commit()
    flash(_("Framework imported as version %(n)d.", n=framework.version), "success")
    return redirect(url_for("frameworks.detail", framework_id=framework.id), code=303)


# Faults of the form's own fields say what is wrong on their own; others name their place in
# the file (a sheet's row and column, or a JSON path).
FORM_FIELDS = ("file", "year", "code", "name")


def form_year():
    """The form's year (this year when left empty); a fault names the field."""
    raw = request.form.get("year", "").strip()
    if not raw:
        return local_now().year
    try:
        return parse_int(raw, 2000, 2100)
    except ValueError:
        raise ValidationError({"year": _("A year from 2000 to 2100.")}) from None


def parsed_json(data):
    try:
        document = parse_json(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ValidationError({"file": _("Choose an XLSX workbook or a JSON file.")}) from None
    if not isinstance(document, dict):
        raise ValidationError({"file": _("Choose an XLSX workbook or a JSON file.")})
    check_document(document)
    return document


@bp.route("/<int:framework_id>")
@login_required
def detail(framework_id):
    """The year's evaluation: per indicator its points, earned, evidence and gap."""
    framework = get_framework_or_404(framework_id)
    year = int_arg("year", framework.year, 2000, 2100)
    return render_detail(framework, year, chosen_department())


def render_detail(framework, year, department, typed=None, problem=None):
    """The evaluation page; with a mark refused, that indicator's form open with its fault and
    what was typed (422)."""
    answer = current_answer(framework, year, department, current_app.config["TIMEZONE"])
    page = render_template(
        "frameworks/detail.html",
        framework=framework,
        year=year,
        department=department,
        answer=answer,
        closure=closure_of(framework, year),
        indicators={i.code: i for i in framework.indicators},
        departments=db.session.scalars(
            select(Department).where(Department.active).order_by(Department.code)
        ).all(),
        typed=typed,
        problem=problem,
    )
    return page, 422 if problem else 200


def chosen_binder(framework_id):
    """The framework, ?year= (its own by default), ?department= and the binder's sections."""
    framework = get_framework_or_404(framework_id)
    year = int_arg("year", framework.year, 2000, 2100)
    department = chosen_department()
    zone = current_app.config["TIMEZONE"]
    sections = binder_sections(current_user, framework, year, department, zone)
    return framework, year, department, sections


@bp.route("/<int:framework_id>/binder")
@login_required
def binder(framework_id):
    """The evidence binder (台账): the evidence of each indicator, with a table of contents."""
    framework, year, department, sections = chosen_binder(framework_id)
    return render_template(
        "frameworks/binder.html",
        framework=framework,
        year=year,
        department=department,
        sections=sections,
    )


@bp.route("/<int:framework_id>/binder.pdf")
@login_required
def binder_pdf(framework_id):
    """The evidence binder as an A4 PDF: contents with page numbers, photos from storage."""
    framework, year, department, sections = chosen_binder(framework_id)
    body = render_pdf(
        "frameworks/binder.html",
        framework=framework,
        year=year,
        department=department,
        sections=sections,
    )
    name = f"{framework.code}-{year}-{department.code if department else 'unit'}.pdf"
    return send_document(body, PDF, name)


@bp.route("/<int:framework_id>/binder.zip")
@login_required
def binder_zip(framework_id):
    """Download the binder's attached documents, a folder per indicator, with an index."""
    framework, year, department, sections = chosen_binder(framework_id)
    body = documents_zip(sections)
    name = f"{framework.code}-{year}-{department.code if department else 'unit'}.zip"
    return current_app.response_class(
        body, mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )  # fmt: skip


@bp.route("/<int:framework_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(framework_id):
    """Edit the current version field by field; saving makes the next version."""
    framework = get_framework_or_404(framework_id)
    if not framework.is_current:
        flash(_("Only the current version is edited: this one has a newer version."), "error")
        return redirect(url_for("frameworks.detail", framework_id=framework.id), code=303)
    document = framework_document(framework)
    header = {k: document.get(k, "") for k in ("name", "year", "bonus_cap")}
    rows = [*editor.rows_of(document), editor.new_row()]
    faults, other = {}, {}
    if request.method == "POST":
        header = {
            name: request.form.get(name, "").strip() for name in ("name", "year", "bonus_cap")
        }
        rows = editor.rows_from_form(request.form, int_form("rows", 0, 0, 1000))
        if request.form.get("action") == "add":
            rows.append(editor.new_row())
        else:
            saved, faults, other = save_edit(framework, header, rows)
            if saved is not None:
                flash(_("Saved as version %(n)d.", n=saved.version), "success")
                return redirect(url_for("frameworks.detail", framework_id=saved.id), code=303)
    status = 422 if faults or other else 200
    return render_template(
        "frameworks/edit.html", framework=framework, header=header, rows=rows, faults=faults,
        other=other, kinds=active_kinds(), methods=METHODS,
    ), status  # fmt: skip


def int_form(name, default, low, high):
    try:
        return parse_int(request.form.get(name, ""), low, high)
    except ValueError:
        return default


def save_edit(framework, header, rows):
    """(the new version, {}, {}), or (None, faults by row, other faults) with nothing saved."""
    document, origin = editor.document_from(
        {
            "code": framework.code,
            "name": header["name"],
            "year": number_or_text(header["year"]) if header["year"] else "",
            **({"bonus_cap": number_or_text(header["bonus_cap"])} if header["bonus_cap"] else {}),
        },
        rows,
    )
    try:
        check_document(document)
        saved = save_framework(current_user, document)
        db.session.commit()
    except ValidationError as error:
        db.session.rollback()
        by_row, other = editor.faults_by_row(error.fields, origin)
        return None, by_row, other
    return saved, {}, {}


@bp.route("/<int:framework_id>/export.json")
@login_required
def export(framework_id):
    """Download a framework version as JSON, to edit and import as the next version."""
    document = framework_document(get_framework_or_404(framework_id))
    body = json.dumps(document, ensure_ascii=False, indent=2)
    headers = {"Content-Disposition": f"attachment; filename={document['code']}.json"}
    return current_app.response_class(body, mimetype="application/json", headers=headers)


@bp.route("/<int:framework_id>/close", methods=["POST"])
@role_required(Role.ADMIN, Role.SUPERVISOR)
def close(framework_id):
    """Close the year's evaluation: its results are kept as they are now."""
    framework = get_framework_or_404(framework_id)
    year = int_arg("year", framework.year, 2000, 2100)
    close_evaluation(current_user, framework, year, current_app.config["TIMEZONE"])
    db.session.commit()
    flash(_("The %(year)d evaluation is closed.", year=year), "success")
    return redirect(url_for("frameworks.detail", framework_id=framework.id, year=year), code=303)


@bp.route("/<int:framework_id>/reopen", methods=["POST"])
@role_required(Role.ADMIN)
def reopen(framework_id):
    """Reopen a closed year: the evaluation follows the records again."""
    framework = get_framework_or_404(framework_id)
    year = int_arg("year", framework.year, 2000, 2100)
    reopen_evaluation(current_user, framework, year)
    db.session.commit()
    flash(_("The %(year)d evaluation is open again.", year=year), "success")
    return redirect(url_for("frameworks.detail", framework_id=framework.id, year=year), code=303)


@bp.route("/<int:framework_id>/marks", methods=["POST"])
@role_required(Role.ADMIN, Role.SUPERVISOR)
def mark(framework_id):
    """Mark a material, survey or veto indicator."""
    framework = get_framework_or_404(framework_id)
    try:
        value = float(request.form.get("mark", ""))
    except ValueError:
        value = -1.0
    body = {
        "indicator": request.form.get("indicator", ""),
        "department": request.form.get("department") or None,
        "mark": value,
        "note": request.form.get("note", "")[:2000],
        "year": int_arg("year", framework.year, 2000, 2100),
    }
    problem = _("A mark from 0 to the indicator's points.") if value < 0 else None
    if problem is None:
        try:
            add_mark(current_user, framework, body)
        except ValidationError as error:
            db.session.rollback()
            problem = " ".join(str(message) for message in error.fields.values())
    if problem:
        code = body["department"]
        department = code and db.session.scalar(select(Department).where(Department.code == code))
        return render_detail(framework, body["year"], department, request.form, problem)
    db.session.commit()
    flash(_("Mark recorded."), "success")
    return redirect(
        url_for("frameworks.detail", framework_id=framework.id, year=body["year"],
                department=body["department"]),
        code=303,
    )  # fmt: skip

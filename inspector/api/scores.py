"""GET /api/v1/scores: the department score sheet as JSON, CSV, XLSX, or the 通报 (DOCX, PDF)."""

from flask import abort, current_app, g, request

from inspector.api import bp
from inspector.api.inspections import date_arg
from inspector.clock import local_now
from inspector.documents.files import bulletin_file
from inspector.findings.queries import open_counts_by_code
from inspector.i18n.labels import GRADE_LABELS
from inspector.scores.cache import memoize
from inspector.scores.closing import score_sheet
from inspector.scores.exports import STYLES, download

FORMATS = ("json", "csv", "xlsx", "docx", "pdf")
DOCUMENTS = ("docx", "pdf")


@bp.get("/scores")
def scores():
    """Rank departments over from..to (local dates, inclusive); ?format= to save a file."""
    kind = request.args.get("format", "json")
    if kind not in FORMATS:
        abort(400, "'format' must be json, csv, xlsx, docx or pdf.")
    return answer(kind)


def chosen_style():
    style = request.args.get("style", "report")
    if style not in STYLES:
        abort(400, "'style' must be report or data.")
    return style


@bp.get("/scores.<any(csv, xlsx):kind>")
def scores_file(kind):
    """The score sheet as a CSV or XLSX file (one media type per URL, for generated clients)."""
    return answer(kind)


def json_answer(first, last, final):
    """The sheet's JSON, written once per data version and kept with the sheet: for a year's
    200 departments writing it cost as much as the rest of an answer from the cache."""

    def write():
        return current_app.json.response(score_sheet(first, last, final, current_app.config))

    body = memoize(("score_sheet.json", first, last, final), lambda: write().get_data())
    return current_app.response_class(body, mimetype=current_app.json.mimetype)


def answer(kind):
    first, last = date_arg("from"), date_arg("to")
    if first is None or last is None:
        abort(400, "'from' and 'to' are required, YYYY-MM-DD.")
    if last < first:
        abort(400, "'to' must not be before 'from'.")
    final = request.args.get("final", "false").lower() == "true"
    if kind in DOCUMENTS:
        return bulletin_file(g.api_user, first, last, final, kind, request.args.get("number"))
    style = chosen_style()
    if kind == "json":
        return json_answer(first, last, final)
    sheet = score_sheet(first, last, final, current_app.config)
    name = f"scores-{first}-{last}{'-final' if final else ''}"
    return download(
        sheet, final, kind, GRADE_LABELS, name, style, open_counts_by_code(local_now().date())
    )

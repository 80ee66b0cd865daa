"""GET /api/v1/scores: the department score sheet as JSON, CSV or XLSX."""

from flask import Response, abort, current_app, request

from inspector.api import bp
from inspector.api.inspections import date_arg
from inspector.i18n import GRADE_LABELS
from inspector.scores.closing import score_sheet
from inspector.scores.exports import XLSX, to_csv, to_xlsx


@bp.get("/scores")
def scores():
    """Rank departments over from..to (local dates, inclusive)."""
    first, last = date_arg("from"), date_arg("to")
    if first is None or last is None:
        abort(400, "'from' and 'to' are required, YYYY-MM-DD.")
    if last < first:
        abort(400, "'to' must not be before 'from'.")
    final = request.args.get("final", "false").lower() == "true"
    sheet = score_sheet(first, last, final, current_app.config)
    kind = request.args.get("format", "json")
    name = f"scores-{first}-{last}{'-final' if final else ''}"
    if kind == "csv":
        return download(
            to_csv(sheet, final, GRADE_LABELS), "text/csv; charset=utf-8", f"{name}.csv"
        )
    if kind == "xlsx":
        return download(to_xlsx(sheet, final, GRADE_LABELS), XLSX, f"{name}.xlsx")
    if kind != "json":
        abort(400, "'format' must be json, csv or xlsx.")
    return sheet


def download(body, mimetype, filename):
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )

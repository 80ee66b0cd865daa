"""Score sheets as CSV (UTF-8 with BOM, for Excel) and XLSX, never runnable as formulas."""

import csv
import io

from flask import current_app
from flask_babel import gettext as _

# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV = "text/csv"  # Werkzeug adds "; charset=utf-8" to text types: say it once
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = (
    "rank",
    "department",
    "name",
    "percent",
    "grade",
    "inspections",
    "pending",
    "critical_failures",
    "vetoed",
)


def safe_text(value):
    """Neutralise user-typed text that a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def headers():
    return [
        _("Rank"),
        _("Code"),
        _("Department"),
        _("Score rate"),
        _("Grade"),
        _("Inspections"),
        _("Awaiting review"),
        _("Critical failures"),
        _("Veto"),
    ]


def cells(row, grade_labels):
    """One department's row, typed: numbers stay numbers, text is made safe."""
    values = {
        **row,
        "grade": str(grade_labels.get(row["grade"], "")) if row["grade"] else "",
        "vetoed": _("yes") if row["vetoed"] else "",
    }
    return [
        safe_text(values[column]) if isinstance(values[column], str) else values[column]
        for column in COLUMNS
    ]


def title(sheet, final):
    kind = _("final") if final else _("provisional")
    return _(
        "Score sheet %(first)s to %(last)s (%(kind)s)",
        first=sheet["from"],
        last=sheet["to"],
        kind=kind,
    )


def to_csv(sheet, final, grade_labels) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title(sheet, final)])
    writer.writerow(headers())
    for row in sheet["departments"]:
        writer.writerow(["" if v is None else v for v in cells(row, grade_labels)])
    # The byte-order mark tells Excel the file is UTF-8, so Chinese shows correctly.
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(sheet, final, grade_labels) -> bytes:
    # Imported here: openpyxl takes 0.2 s to import, paid only by whoever downloads a workbook
    # (docs/benchmarks.md, "Cold start").
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    ws.title = sheet["from"]
    ws.append([title(sheet, final)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(headers())
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in sheet["departments"]:
        ws.append(cells(row, grade_labels))
    ws.freeze_panes = "A3"
    for number, width in enumerate((6, 14, 24, 10, 10, 10, 12, 12, 8), start=1):
        ws.column_dimensions[get_column_letter(number)].width = width
    for cell in ws["D"][2:]:
        cell.number_format = "0.0"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download(sheet, final, kind, grade_labels, name):
    """The sheet as a file to save: `kind` "csv" or "xlsx", named `name`.csv or .xlsx."""
    if kind == "csv":
        body, mimetype = to_csv(sheet, final, grade_labels), CSV
    else:
        body, mimetype = to_xlsx(sheet, final, grade_labels), XLSX
    return current_app.response_class(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'},
    )

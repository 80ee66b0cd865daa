"""Score sheets as CSV and XLSX, never runnable as formulas.

Two CSV styles: "report" (the default: a title line, translated headers, UTF-8 with a BOM for
Excel, text guarded against formulas) and "data" for integrators (one header row of the JSON
field names, raw values, no BOM). The XLSX is the report, printable: A4, fit to width, the
header row repeated on every page; text is stored as text, so nothing needs an apostrophe.
"""

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
    "change",
    "open_findings",
    "overdue_findings",
)
# The contract's JSON fields, in its order, for style=data.
DATA_COLUMNS = (
    "department",
    "name",
    "inspections",
    "pending",
    "percent",
    "grade",
    "rank",
    "critical_failures",
    "vetoed",
)
STYLES = ("report", "data")


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
        _("Change since the previous period"),
        _("Open findings"),
        _("Overdue findings"),
    ]


def report_values(row, grade_labels, findings):
    """One department's row as people read it: labels for codes, numbers kept numbers."""
    open_count, overdue = findings.get(row["department"], (0, 0))
    return [
        {
            **row,
            "grade": str(grade_labels.get(row["grade"], "")) if row["grade"] else "",
            "vetoed": _("yes") if row["vetoed"] else "",
            "change": row.get("change"),
            "open_findings": open_count,
            "overdue_findings": overdue,
        }[column]
        for column in COLUMNS
    ]


def cells(row, grade_labels, findings):
    """A CSV report row: text that a spreadsheet would run as a formula is guarded."""
    return [safe_text(value) for value in report_values(row, grade_labels, findings)]


def title(sheet, final):
    kind = _("final") if final else _("provisional")
    return _(
        "Score sheet %(first)s to %(last)s (%(kind)s)",
        first=sheet["from"],
        last=sheet["to"],
        kind=kind,
    )


def to_csv(sheet, final, grade_labels, findings) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([title(sheet, final)])
    writer.writerow(headers())
    for row in sheet["departments"]:
        writer.writerow(["" if v is None else v for v in cells(row, grade_labels, findings)])
    # The byte-order mark tells Excel the file is UTF-8, so Chinese shows correctly.
    return buffer.getvalue().encode("utf-8-sig")


def to_data_csv(sheet) -> bytes:
    """For programs: the JSON field names as the one header row, raw values, no BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(DATA_COLUMNS)
    for row in sheet["departments"]:
        writer.writerow([data_value(row[column]) for column in DATA_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def data_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


# Column widths, and the number formats of the score rate (a percentage) and its change.
WIDTHS = (6, 12, 24, 10, 10, 10, 12, 12, 8, 12, 10, 10)
PERCENT = '0.0"%"'
CHANGE = '+0.0"%";-0.0"%";0.0"%"'


def to_xlsx(sheet, final, grade_labels, findings) -> bytes:
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
        ws.append(report_values(row, grade_labels, findings))
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # "=..." typed by a person is text, never a formula
    for number, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(number)].width = width
    for cell in ws["D"][2:]:
        cell.number_format = PERCENT
    for cell in ws["J"][2:]:
        cell.number_format = CHANGE
    set_up_printing(ws)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def set_up_printing(ws):
    """A4 landscape, all columns on one page's width, the header row on every page."""
    ws.freeze_panes = "A3"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "2:2"


def download(sheet, final, kind, grade_labels, name, style="report", findings=None):
    """The sheet as a file to save: `kind` "csv" or "xlsx", named `name`.csv or .xlsx."""
    findings = findings or {}
    if kind == "csv" and style == "data":
        body, mimetype = to_data_csv(sheet), CSV
    elif kind == "csv":
        body, mimetype = to_csv(sheet, final, grade_labels, findings), CSV
    else:
        body, mimetype = to_xlsx(sheet, final, grade_labels, findings), XLSX
    return current_app.response_class(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'},
    )

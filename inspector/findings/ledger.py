"""The findings ledger (整改台账) as XLSX: every finding opened in a span of days, one row each."""

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlalchemy import select

from inspector.extensions import db
from inspector.findings.serialize import is_overdue
from inspector.i18n.labels import FINDING_STATUS_LABELS
from inspector.models import Finding
from inspector.periods import day_bounds, local_date
from inspector.scores.exports import safe_text


def headers():
    return [
        _("No."),
        _("Department"),
        _("Site"),
        _("Problem"),
        _("Details"),
        _("Found"),
        _("Due"),
        _("Status"),
        _("Overdue"),
        _("Fixed"),
        _("What was done"),
        _("Verified"),
    ]


def bold(sheet, text):
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = Font(bold=True)
    return cell


def ledger_row(number, finding, zone, today):
    def day(moment):
        return local_date(moment, zone) if moment else None

    return [
        number,
        safe_text(finding.department.name),
        safe_text(finding.site.name),
        safe_text(finding.title),
        safe_text(finding.description),
        day(finding.created_at),
        finding.due,
        str(FINDING_STATUS_LABELS[finding.status]),
        _("yes") if is_overdue(finding, today) else "",
        day(finding.fixed_at),
        safe_text(finding.fix_note),
        day(finding.verified_at),
    ]


def write_ledger(target, first, last, zone, today):
    """Write the ledger of findings opened first..last to `target` (a path or binary file).

    Write-only workbook and rows read in batches: a year of findings never sits in memory whole.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Findings"))
    sheet.freeze_panes = "A2"
    sheet.append([bold(sheet, text) for text in headers()])
    start, end = day_bounds(first, last, zone)
    stmt = (
        select(Finding)
        .where(Finding.created_at >= start, Finding.created_at < end)
        .order_by(Finding.created_at, Finding.id)
        .execution_options(yield_per=500)
    )
    for number, finding in enumerate(db.session.scalars(stmt), start=1):
        sheet.append(ledger_row(number, finding, zone, today))
    book.save(target)

"""The year's evaluation as an Excel workbook: one row per indicator, then the totals."""

import io

from flask_babel import gettext as _

from inspector.i18n.labels import METHOD_LABELS
from inspector.scores.exports import safe_text


def headers():
    return [_("Code"), _("Indicator"), _("Method"), _("Points"), _("Earned"), _("Evidence"),
            _("Gap")]  # fmt: skip


def evaluation_xlsx(framework, answer) -> bytes:
    """`answer` is the evaluation as the API answers it (evaluation_json)."""
    # Imported here: openpyxl takes 0.1–0.2 s to import, paid only by whoever downloads a
    # workbook, not by every server start (docs/benchmarks.md, "Cold start").
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    ws.title = str(answer["year"])
    who = answer["department"] or _("Whole unit")
    ws.append([safe_text(f"{framework.name} · {answer['year']} · {who}")])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(headers())
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in answer["indicators"]:
        ws.append([
            safe_text(row["code"]), safe_text(row["title"]), str(METHOD_LABELS[row["method"]]),
            row["points"], row["earned"], row["evidence"], safe_text(row.get("gap") or ""),
        ])  # fmt: skip
    ws.append([])
    ws.append(["", _("Total"), "", answer["possible"], answer["total"]])
    ws.append(["", _("Bonus"), "", framework.bonus_cap, answer["bonus"]])
    ws.append(["", _("Veto"), "", "", _("yes") if answer["vetoed"] else ""])
    ws.freeze_panes = "A3"
    for number, width in enumerate((8, 30, 12, 8, 8, 8, 30), start=1):
        ws.column_dimensions[get_column_letter(number)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

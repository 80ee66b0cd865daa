"""The 通报 as a Word document (python-docx): real tables and styles, editable before it is
stamped and given its 文号."""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from flask_babel import format_date, pgettext
from flask_babel import gettext as _

from inspector.documents.bulletin import change_text
from inspector.i18n.labels import GRADE_LABELS, period_label
from inspector.photos.services import storage

RED = RGBColor(0xB9, 0x1C, 0x1C)
# Chinese official documents: 仿宋 for the body, 黑体 for headings, 宋体 in tables.
BODY_FONT, HEADING_FONT, LATIN_FONT = "仿宋", "黑体", "Times New Roman"
PHOTO_WIDTH = Mm(45)


def set_font(style_or_run, east_asian, size=None, bold=None):
    font = style_or_run.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    # Word takes Chinese glyphs from the eastAsia font, which python-docx does not set.
    element = style_or_run.element
    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asian)


def new_document():
    """An A4 portrait document whose Normal, Title and heading styles suit a 通报."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    styles = document.styles
    set_font(styles["Normal"], BODY_FONT, 14)
    set_font(styles["Title"], "方正小标宋简体", 22, bold=False)
    set_font(styles["Heading 1"], HEADING_FONT, 16, bold=False)
    set_font(styles["Table Grid"], "宋体", 11)
    for name in ("Title", "Heading 1"):
        styles[name].font.color.rgb = RGBColor(0, 0, 0)
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The built-in Title has a blue rule under it: a 通报's rule is the red one of its head.
    border = styles["Title"].element.pPr.find(qn("w:pBdr"))
    if border is not None:
        styles["Title"].element.pPr.remove(border)
    return document


def red_head(document, org_name, number):
    """The issuing unit in red, the 文号 under it, and the red rule (红头)."""
    issuer = document.add_paragraph()
    issuer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = issuer.add_run(org_name)
    set_font(run, "方正小标宋简体", 26, bold=True)
    run.font.color.rgb = RED
    line = document.add_paragraph(number or "")
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    rule = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "18"), ("space", "4"), ("color", "B91C1C")):
        bottom.set(qn(f"w:{key}"), value)
    rule.append(bottom)
    line._p.get_or_add_pPr().append(rule)


def table(document, headers, rows, widths):
    """A grid table with a bold header row repeated on every page."""
    grid = document.add_table(rows=1, cols=len(headers), style="Table Grid")
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    header = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for values in rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = "" if value is None else str(value)
    for column, width in zip(grid.columns, widths, strict=True):
        for cell in column.cells:
            cell.width = Mm(width)
    return grid


def ranking_rows(rows):
    for row in rows:
        grade = str(GRADE_LABELS[row["grade"]]) if row["grade"] else "—"
        yield [
            row["rank"] or "—",
            row["name"],
            "—" if row["percent"] is None else row["percent"],
            grade,
            change_text(row["change"]),
            row["inspections"],
            _("veto") if row["vetoed"] else "",
        ]


def summary(context):
    parts = []
    if context["best"]:
        names = "、".join(r["name"] for r in context["best"])
        parts.append(
            _(
                "Best: %(names)s (%(percent)s%%).",
                names=names,
                percent=context["best"][0]["percent"],
            )
        )
    if context["worst"]:
        names = "、".join(r["name"] for r in context["worst"])
        parts.append(
            _(
                "Last: %(names)s (%(percent)s%%).",
                names=names,
                percent=context["worst"][0]["percent"],
            )
        )
    if context["vetoed"]:
        names = "、".join(r["name"] for r in context["vetoed"])
        parts.append(_("Vetoed by a critical failure: %(names)s.", names=names))
    return " ".join(parts)


def period_line(context):
    period, sheet = context["period"], context["sheet"]
    name = period_label(period)
    name = name.split(" (")[0] if period.kind == "week" else name
    kind = _("final (approved only)") if context["final"] else _("provisional")
    return f"{name} ({sheet['from']} – {sheet['to']}) · {kind}"


def failing_table(document, failing):
    grid = table(
        document,
        [
            _("Item"),
            pgettext("bulletin column: times an item failed", "Failed"),
            _("Photo of a failure"),
        ],
        [["", "", ""] for _item in failing],
        (70, 35, 50),
    )
    for row, item in zip(grid.rows[1:], failing, strict=True):
        text, count, photo = row.cells
        text.text = item["text"]
        if item["site"]:
            text.add_paragraph(_("e.g. %(site)s", site=item["site"]))
        count.text = _(
            "%(failures)d of %(checked)d (%(rate)s%%)",
            failures=item["failures"],
            checked=item["checked"],
            rate=item["rate"],
        )
        if item["photo"] is not None:
            with storage().open(item["photo"].display_key) as source:
                picture = io.BytesIO(source.read())
            photo.paragraphs[0].add_run().add_picture(picture, width=PHOTO_WIDTH)


def signature_lines(document, context):
    document.add_paragraph()
    lines = document.add_paragraph()
    lines.add_run(f"{_('Prepared by')}：________　　{_('Reviewed by')}：________")
    for text in (context["org_name"], format_date(context["issued"], "long")):
        closing = document.add_paragraph(text)
        closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def bulletin_docx(context) -> bytes:
    """The bulletin as .docx bytes: red head, title, period, ranking, failing items, findings."""
    document = new_document()
    red_head(document, context["org_name"], context["number"])
    document.add_paragraph(_("Civilized unit assessment: score sheet"), style="Title")
    document.add_paragraph(period_line(context)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text := summary(context):
        document.add_paragraph(text)
    document.add_paragraph(_("1. Ranking"), style="Heading 1")
    headers = [_("Rank"), _("Department"), _("Score rate"), _("Grade"), _("Change"),
               _("Inspections"), _("Veto")]  # fmt: skip
    table(document, headers, ranking_rows(context["rows"]), (14, 45, 20, 22, 18, 18, 18))
    findings_heading = _("2. Findings to fix")
    if context["failing"]:
        document.add_paragraph(_("2. Items failed most often"), style="Heading 1")
        failing_table(document, context["failing"])
        findings_heading = _("3. Findings to fix")
    document.add_paragraph(findings_heading, style="Heading 1")
    rows = [[r["name"], r["open_findings"], r["overdue_findings"]] for r in context["rows"]]
    table(document, [_("Department"), _("Open"), _("Overdue")], rows, (80, 35, 35))
    signature_lines(document, context)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

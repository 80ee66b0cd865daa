"""Documents as downloads: the 通报 of a period as DOCX or PDF, one inspection's report."""

import unicodedata

from flask import current_app
from flask_babel import lazy_gettext as _l

from inspector.clock import local_now
from inspector.documents.bulletin import bulletin, change_text
from inspector.documents.pdf import PDF, render_pdf
from inspector.errors import ValidationError, check_lengths
from inspector.inspections.queries import answers_by_key
from inspector.limits import DOCUMENT_NUMBER_LENGTH

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA_TYPES = {"docx": DOCX, "pdf": PDF}


def document_number(text):
    """The 文号 as typed, trimmed; 422 when too long or holding control characters."""
    text = (text or "").strip()
    check_lengths(("number", text, DOCUMENT_NUMBER_LENGTH))
    if any(unicodedata.category(char).startswith("C") for char in text):
        raise ValidationError({"number": _l("No control characters.")})
    return text


def bulletin_context(user, first, last, final, number=""):
    settings = current_app.config
    today = local_now().date()
    return bulletin(user, first, last, final, settings, today, document_number(number))


def render_bulletin(context, kind) -> bytes:
    if kind == "docx":
        # Imported here: python-docx takes 0.06 s to import, paid only by whoever asks for a
        # Word file, not by every server start (docs/benchmarks.md, "Cold start").
        from inspector.documents.wordfile import bulletin_docx

        return bulletin_docx(context)
    return render_pdf("documents/bulletin.html", change_text=change_text, **context)


def bulletin_file(user, first, last, final, kind, number=""):
    """The bulletin for first..last as a `kind` ("docx" or "pdf") download."""
    context = bulletin_context(user, first, last, final, number)
    period = context["period"]
    key = period.key if period.kind != "range" else f"{first}_{last}"
    name = f"bulletin-{key}{'-final' if final else ''}.{kind}"
    return send_document(render_bulletin(context, kind), MEDIA_TYPES[kind], name)


def inspection_report(inspection) -> bytes:
    """One inspection as a PDF: answers, notes, photos with time and place, score, signatures."""
    return render_pdf(
        "documents/inspection.html",
        inspection=inspection,
        answers=answers_by_key(inspection),
        org_name=current_app.config["ORG_NAME"],
    )


def inspection_report_file(inspection):
    name = f"inspection-{inspection.uuid[:8]}.pdf"
    return send_document(inspection_report(inspection), PDF, name)


def campaign_report(campaign, spots, progress) -> bytes:
    """A campaign's before/after pairs as a PDF (the printable report)."""
    return render_pdf("campaigns/report.html", campaign=campaign, spots=spots, progress=progress)


def campaign_report_file(campaign, spots, progress):
    name = f"campaign-{campaign.id}-report.pdf"
    return send_document(campaign_report(campaign, spots, progress), PDF, name)


def send_document(body, mimetype, name):
    return current_app.response_class(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )

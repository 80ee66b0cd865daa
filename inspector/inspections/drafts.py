"""Notes and photos on items not answered yet, that the web screen before issue 14 kept with
a server draft; the field app takes them onto the phone with the draft (field/work.py)."""

from sqlalchemy import delete, select

from inspector.extensions import db
from inspector.models import DraftNote


def pending_by_key(inspection):
    """{item key: {"note": str, "photos": [uuid]}} for the answering screen."""
    rows = db.session.scalars(select(DraftNote).where(DraftNote.inspection_id == inspection.id))
    return {r.item_key: {"note": r.note, "photos": (r.photos or "").split()} for r in rows}


def forget(inspection):
    """Drop them once the inspection is submitted."""
    db.session.execute(delete(DraftNote).where(DraftNote.inspection_id == inspection.id))

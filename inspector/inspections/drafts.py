"""Notes and photos on items not answered yet, that the web screen before issue 14 kept with
a server draft; the field app takes them onto the phone with the draft (field/work.py)."""

from collections import defaultdict

from sqlalchemy import delete, select

from inspector.extensions import db
from inspector.models import DraftNote


def pending_by_inspection(inspections):
    """{inspection id: {item key: {"note": str, "photos": [uuid]}}}, in one query."""
    ids = [inspection.id for inspection in inspections]
    kept = defaultdict(dict)
    for row in db.session.scalars(select(DraftNote).where(DraftNote.inspection_id.in_(ids))):
        kept[row.inspection_id][row.item_key] = {
            "note": row.note,
            "photos": (row.photos or "").split(),
        }
    return kept


def forget(inspection):
    """Drop them once the inspection is submitted."""
    db.session.execute(delete(DraftNote).where(DraftNote.inspection_id == inspection.id))

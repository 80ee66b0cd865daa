"""Notes and photos on items not answered yet, kept with the draft until the answer comes."""

from sqlalchemy import delete, select

from inspector.errors import check_lengths
from inspector.extensions import db
from inspector.limits import TEXT_LENGTH
from inspector.models import DraftNote


def keep_unanswered(inspection, form, photos_by_key, answered):
    """Store each unanswered item's note and photos; forget those of answered items."""
    keys = [item.key for item in inspection.checklist.items]
    check_lengths(*((f"note.{key}", form.get(f"note.{key}"), TEXT_LENGTH) for key in keys))
    existing = {
        n.item_key: n
        for n in db.session.scalars(
            select(DraftNote).where(DraftNote.inspection_id == inspection.id)
        )
    }
    for item in inspection.checklist.items:
        note = form.get(f"note.{item.key}", "").strip()
        photos = photos_by_key.get(item.key, [])
        keep = item.key not in answered and (note or photos)
        row = existing.get(item.key)
        if keep:
            row = row or DraftNote(inspection_id=inspection.id, item_key=item.key)
            row.note, row.photos = note, " ".join(photos)
            db.session.add(row)
        elif row is not None:
            db.session.delete(row)


def pending_by_key(inspection):
    """{item key: {"note": str, "photos": [uuid]}} for the answering screen."""
    rows = db.session.scalars(select(DraftNote).where(DraftNote.inspection_id == inspection.id))
    return {r.item_key: {"note": r.note, "photos": (r.photos or "").split()} for r in rows}


def forget(inspection):
    db.session.execute(delete(DraftNote).where(DraftNote.inspection_id == inspection.id))

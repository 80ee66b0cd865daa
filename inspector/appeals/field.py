"""What a lead's phone keeps about appeals: the deductions they may still appeal, and the
department's appeals with their rulings (the field app's home, static/js/screens/appeal.js)."""

from datetime import UTC, datetime, timedelta

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from inspector.appeals.queries import appeals_of
from inspector.appeals.services import APPEALABLE, appealable_items
from inspector.extensions import db
from inspector.i18n.labels import answer_label
from inspector.models import Appeal, Inspection, Response, ResponsePhoto, Role
from inspector.periods import iso

RECENT = 30


def appeal_work(user, settings, now=None) -> dict:
    """{"appealable": items the lead may appeal now, "appeals": the department's latest}."""
    if user.role != Role.LEAD or user.department_id is None:
        return {"appealable": [], "appeals": []}
    now = now or datetime.now(UTC)
    since = now - timedelta(days=settings["APPEAL_DAYS"])
    inspections = db.session.scalars(
        select(Inspection)
        .where(
            Inspection.department_id == user.department_id,
            Inspection.status.in_(APPEALABLE),
            Inspection.submitted_at >= since,
        )
        .order_by(Inspection.submitted_at.desc())
        .limit(100)
        .options(  # each deduction's item and photos with the rows, not a query per answer
            selectinload(Inspection.responses).joinedload(Response.item),
            selectinload(Inspection.responses)
            .selectinload(Response.photos)
            .joinedload(ResponsePhoto.photo),
        )
    ).all()
    appealable = []
    for inspection in inspections:
        allowed = appealable_items(user, inspection, appeals_of(inspection), settings, now)
        deadline = inspection.submitted_at + timedelta(days=settings["APPEAL_DAYS"])
        appealable += [
            deduction_json(inspection, response, deadline)
            for response in inspection.responses
            if response.item_id in allowed
        ]
    appeals = db.session.scalars(
        select(Appeal)
        .where(Appeal.department_id == user.department_id)
        .order_by(Appeal.id.desc())
        .limit(RECENT)
    )
    return {"appealable": appealable, "appeals": [appeal_row(a, user) for a in appeals]}


def deduction_json(inspection, response, deadline) -> dict:
    return {
        "inspection": inspection.uuid,
        "item": response.item.key,
        "item_text": response.item.text,
        "site_name": inspection.site.name,
        "answer": answer_text(response),
        "earned": response.earned,
        "possible": response.possible,
        "note": response.note,
        # What the inspector photographed, which the appeal answers (kept for offline use).
        "photos": [
            url_for("photos.show", uuid=link.photo.uuid, variant="thumb")
            for link in response.photos
        ],
        "submitted_at": iso(inspection.submitted_at),
        "deadline": iso(deadline),
    }


def answer_text(response) -> str:
    """合格, 2 处, or a mark with its points (2/3): what the inspector recorded."""
    if response.item.type == "scale" and isinstance(response.answer_in_force, int):
        return f"{response.answer_in_force}/{response.item.points:g}"
    return str(answer_label(response.item, response))


def appeal_row(appeal, user) -> dict:
    """One of the department's appeals; `mine` when `user` filed it (only they may withdraw)."""
    return {
        "id": appeal.uuid,
        "inspection": appeal.inspection.uuid,
        "item": appeal.item.key,
        "item_text": appeal.item.text,
        "site_name": appeal.inspection.site.name,
        "status": str(appeal.status),
        "created_at": iso(appeal.created_at),
        "comment": appeal.decision_comment,
        "mine": appeal.author_id == user.id,
    }

"""The inspector's own work for the field home: their inspections on the server (drafts and
returned ones to take up on the phone), the sites due this week, today's closed period."""

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from inspector.checklists.services import checklist_document
from inspector.clock import local_now
from inspector.extensions import db
from inspector.inspections.drafts import pending_by_inspection
from inspector.inspections.serialize import iso
from inspector.inspections.webform import body_from_inspection
from inspector.models import (
    Checklist,
    ChecklistSection,
    ClosedPeriod,
    Inspection,
    InspectionStatus,
    Response,
    ResponsePhoto,
)
from inspector.periods import period_containing
from inspector.scores.coverage import weekly_coverage

RECENT = 30  # submitted and approved ones listed under "my inspections"
OPEN = (InspectionStatus.DRAFT, InspectionStatus.RETURNED)


def my_inspections(user) -> list:
    """The user's drafts and returned inspections (with what the phone needs to carry them
    on), then their most recent submitted and approved ones."""
    # Everything a row names, loaded with the rows (a query per kind, not per inspection);
    # only the open ones carry their answers to the phone.
    mine = (
        select(Inspection)
        .where(Inspection.inspector_id == user.id)
        .order_by(Inspection.updated_at.desc())
        .options(
            selectinload(Inspection.site),
            selectinload(Inspection.checklist),
            selectinload(Inspection.reviewed_by),
            selectinload(Inspection.amendments),
        )
    )
    answers = selectinload(Inspection.responses)
    open_ones = db.session.scalars(
        mine.where(Inspection.status.in_(OPEN))
        .limit(100)
        .options(
            answers.selectinload(Response.item),
            answers.selectinload(Response.photos).selectinload(ResponsePhoto.photo),
            # The checklist each carries to the phone: two queries, not one per section.
            selectinload(Inspection.checklist)
            .selectinload(Checklist.sections)
            .selectinload(ChecklistSection.items),
        )
    ).all()
    done = db.session.scalars(mine.where(Inspection.status.not_in(OPEN)).limit(RECENT)).all()
    kept = pending_by_inspection(open_ones)
    carried = [{**inspection_row(i), "editable": carried_on(i, kept[i.id])} for i in open_ones]
    return carried + [inspection_row(i) for i in done]


def inspection_row(inspection) -> dict:
    return {
        "id": inspection.uuid,
        "status": str(inspection.status),
        "site": inspection.site.code,
        "site_name": inspection.site.name,
        "template": inspection.checklist_id,
        "template_name": inspection.checklist.name,
        "percent": inspection.percent,
        "critical_failed": inspection.critical_failed,
        "submitted_at": iso(inspection.submitted_at),
        "updated_at": iso(inspection.updated_at),
        "review": review_json(inspection),
        # Rulings on appeal changed its score: the inspector sees it on the work list.
        "amended": bool(inspection.amendments),
    }


def carried_on(inspection, kept) -> dict:
    """What the phone needs to carry a draft or returned inspection on: its checklist, start
    and answers, with `kept` (pending_by_inspection) for the items not answered yet."""
    body = body_from_inspection(inspection, submit=False)
    return {
        "template_doc": {
            "id": inspection.checklist_id,
            "version": inspection.checklist.version,
            **checklist_document(inspection.checklist),
        },
        "started_at": body["started_at"],
        "location": body.get("location"),
        "responses": body["responses"] + pending_responses(kept, body["responses"]),
    }


def pending_responses(kept, responses) -> list:
    """Notes and photos the old web screen kept on unanswered items (drafts.py), so taking
    such a draft onto the phone loses none of them."""
    answered = {r["item"] for r in responses}
    return [
        {"item": key, "answer": None, "note": note["note"], "photos": note["photos"]}
        for key, note in kept.items()
        if key not in answered
    ]


def review_json(inspection):
    if not inspection.reviewed_at:
        return None
    return {
        "by": inspection.reviewed_by.name,
        "at": iso(inspection.reviewed_at),
        "comment": inspection.review_comment,
    }


def due_sites(user, sites) -> list:
    """Sites whose rounds are due or overdue this week, never of the user's own department
    (回避); the most overdue first."""
    week = period_containing(local_now().date(), "week")
    coverage = weekly_coverage(week, current_app.config)
    by_code = {site["code"]: site for site in sites}
    own = user.department.code if user.department else None
    due = []
    for row in coverage:
        site = by_code.get(row["site"].code)
        if row["state"] == "done" or site is None or site["department_code"] == own:
            continue
        due.append({**site, "due": row["state"], "done": row["done"], "expected": row["expected"]})
    return due[:20]


def closed_period(today):
    """Today's closed score period, if any: submitting now is kept but not counted."""
    closed = ClosedPeriod.covering(today)
    if closed is None:
        return None
    return {"first": closed.first.isoformat(), "last": closed.last.isoformat()}

"""Filing, withdrawing and deciding appeals; the caller commits once.

A phone may send the same PUT many times: a repeat of the stored appeal answers it unchanged.
An overturn amends the inspection (inspector.inspections.amendments) and closes the findings
the item's failure opened; the score sheets follow through the stored scores.
"""

from datetime import UTC, datetime, timedelta

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from inspector import audit, events, scoring
from inspector.appeals.permissions import may_file
from inspector.checklists.services import scoring_item
from inspector.errors import ConflictError, PeriodClosedError, ValidationError, check_lengths
from inspector.extensions import db
from inspector.findings.services import close_overturned
from inspector.inspections.amendments import amend
from inspector.limits import TEXT_LENGTH
from inspector.models import (
    Appeal,
    AppealPhoto,
    AppealStatus,
    ClosedPeriod,
    Inspection,
    InspectionStatus,
)
from inspector.periods import local_date
from inspector.photos.services import photos_by_uuid

APPEALABLE = (InspectionStatus.SUBMITTED, InspectionStatus.APPROVED)


def file_appeal(actor, uuid, body, settings, now=None):
    """File the appeal `uuid` from a contract body; return (it, created)."""
    now = now or datetime.now(UTC)
    appeal = db.session.scalar(select(Appeal).where(Appeal.uuid == uuid))
    if appeal is not None:
        if appeal.author_id == actor.id and same_appeal(appeal, body):
            return appeal, False  # a retry of what is stored
        raise ConflictError(_l("This appeal was already filed with other content."))
    inspection = db.session.scalar(select(Inspection).where(Inspection.uuid == body["inspection"]))
    if inspection is None or inspection.department_id != actor.department_id:
        abort(404, "No such inspection.")
    response = appealed_response(inspection, body["item"])
    check_appealable(inspection, response, settings, now)
    reason = body["reason"].strip()
    check_lengths(("reason", reason, TEXT_LENGTH))
    photos = attached(actor, body.get("photos", []))
    appeal = Appeal(
        uuid=uuid,
        inspection=inspection,
        item_id=response.item_id,
        item=response.item,
        department_id=inspection.department_id,
        author_id=actor.id,
        reason=reason,
        created_at=now,
        photos=[AppealPhoto(photo=photo, position=n) for n, photo in enumerate(photos)],
    )
    db.session.add(appeal)
    audit.record(actor, "appeal.file", appeal, inspection=inspection.uuid, item=response.item.key)
    events.record(actor, "appeal.filed", appeal)
    return appeal, True


def same_appeal(appeal, body):
    return (
        appeal.inspection.uuid == body["inspection"]
        and appeal.item.key == body["item"]
        and appeal.reason == body["reason"].strip()
        and [link.photo.uuid for link in appeal.photos] == body.get("photos", [])
    )


def appealed_response(inspection, key):
    """The inspection's answer to item `key`; 422 if the checklist has no such item, 409 if
    the item was appealed already."""
    item = next((item for item in inspection.checklist.items if item.key == key), None)
    if item is None:
        raise ValidationError({"item": _l("Unknown item %(key)s.", key=key)})
    taken = db.session.scalar(
        select(Appeal.id).where(Appeal.inspection_id == inspection.id, Appeal.item_id == item.id)
    )
    if taken is not None:
        raise ConflictError(_l("This item has been appealed already."), code="appeal_exists")
    response = next((r for r in inspection.responses if r.item_id == item.id), None)
    if response is None or inspection.status not in APPEALABLE:
        raise not_deducted()
    return response


def not_deducted():
    return ValidationError(
        {"item": _l("Only an item of a submitted inspection that lost points can be appealed.")},
        _l("This item lost no points."),
        code="item_not_deducted",
    )


def check_appealable(inspection, response, settings, now):
    """422 naming why the item cannot be appealed now: no deduction, too late, period closed."""
    if scoring.lost_points(scoring_item(response.item), response.answer_in_force) <= 0:
        raise not_deducted()
    if now > inspection.submitted_at + timedelta(days=settings["APPEAL_DAYS"]):
        raise ValidationError(
            {"inspection": _l("Appeals are taken for %(n)d days after submission.",
                              n=settings["APPEAL_DAYS"])},
            _l("The time to appeal this inspection has passed."),
            code="appeal_window",
        )  # fmt: skip
    if closed_period_of(inspection, settings) is not None:
        raise ValidationError(
            {"inspection": _l("Its score period is closed.")},
            _l("Its score period is closed; appeals are no longer taken."),
            code="period_closed",
        )


def appealable_items(user, inspection, taken, settings, now=None):
    """Ids of the items `user` may appeal now (`taken`: item ids appealed already)."""
    now = now or datetime.now(UTC)
    if not may_file(user) or inspection.department_id != user.department_id:
        return set()
    if inspection.status not in APPEALABLE:
        return set()
    items = set()
    for response in inspection.responses:
        if response.item_id in taken:
            continue
        try:
            check_appealable(inspection, response, settings, now)
        except ValidationError:
            continue
        items.add(response.item_id)
    return items


def closed_period_of(inspection, settings):
    return ClosedPeriod.covering(local_date(inspection.submitted_at, settings["TIMEZONE"]))


def attached(actor, uuids):
    """The photos for `uuids`, in order; 422 naming any the actor has not uploaded."""
    photos = photos_by_uuid(actor, uuids)
    missing = [uuid for uuid in uuids if uuid not in photos]
    if missing:
        raise ValidationError(
            {"photos": _l("Photos not uploaded: %(ids)s", ids=", ".join(missing))}
        )
    return [photos[uuid] for uuid in uuids]


def withdraw_appeal(actor, appeal):
    """Withdraw a pending appeal (its author only; the caller checks)."""
    if appeal.status == AppealStatus.WITHDRAWN:
        return appeal  # a retry
    if appeal.status != AppealStatus.PENDING:
        raise ConflictError(_l("Only a pending appeal can be withdrawn."))
    appeal.status, appeal.withdrawn_at = AppealStatus.WITHDRAWN, datetime.now(UTC)
    audit.record(actor, "appeal.withdraw", appeal, inspection=appeal.inspection.uuid)
    return appeal


def decide_appeal(actor, appeal, decision, answer, comment, settings):
    """Uphold the deduction, or overturn it with a corrected answer (an amendment)."""
    comment = (comment or "").strip()
    target = AppealStatus.UPHELD if decision == "uphold" else AppealStatus.OVERTURNED
    if (
        appeal.status == target
        and appeal.decision_comment == comment
        and (target == AppealStatus.UPHELD or appeal.decision_answer == answer)
    ):
        return appeal  # a retry
    if appeal.status != AppealStatus.PENDING:
        raise ConflictError(_l("This appeal is no longer pending."))
    check_lengths(("comment", comment, TEXT_LENGTH))
    inspection = appeal.inspection
    if closed_period_of(inspection, settings) is not None:
        raise PeriodClosedError()
    if target == AppealStatus.OVERTURNED:
        overturn(actor, appeal, answer, comment)
    appeal.status = target
    appeal.decided_by_id, appeal.decided_at = actor.id, datetime.now(UTC)
    appeal.decision_comment = comment
    audit.record(
        actor,
        f"appeal.{decision}",
        appeal,
        inspection=inspection.uuid,
        item=appeal.item.key,
        answer=answer if target == AppealStatus.OVERTURNED else None,
        comment=comment,
    )
    events.record(actor, "appeal.decided", appeal)
    return appeal


def answered(appeal):
    """The inspection's answer to the appealed item (None if a correction removed it)."""
    return next((r for r in appeal.inspection.responses if r.item_id == appeal.item_id), None)


def overturn(actor, appeal, answer, comment):
    """Amend the appealed answer to `answer`, which must lose fewer points; close findings."""
    inspection = appeal.inspection
    if inspection.status not in APPEALABLE:
        raise ConflictError(_l("The inspection was returned for correction meanwhile."))
    response = answered(appeal)
    if response is None:
        raise ConflictError(_l("The inspection no longer answers this item."))
    item = scoring_item(appeal.item)
    if answer is None:
        raise ValidationError({"answer": _l("An overturn needs the corrected answer.")})
    problem = scoring.answer_problem(item, answer)
    if problem:
        raise ValidationError({"answer": problem})
    if scoring.lost_points(item, answer) >= scoring.lost_points(item, response.answer_in_force):
        raise ValidationError(
            {"answer": _l("The corrected answer must lose fewer points than the original.")}
        )
    amend(actor, inspection, response, answer, appeal)
    appeal.decision_answer = answer
    close_overturned(actor, inspection, appeal.item_id, appeal.uuid, comment)

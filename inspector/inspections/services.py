"""Saving, submitting and reviewing inspections; the caller commits once.

A phone may send the same PUT many times (lost replies, retries): the body's hash is
stored, so a repeat of an accepted body changes nothing and gets the stored answer.
"""

import hashlib
import json
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from inspector import audit, events, scoring
from inspector.checklists.lifecycle import check_may_start
from inspector.checklists.services import scoring_items
from inspector.errors import ConflictError, PeriodClosedError, ValidationError, check_lengths
from inspector.extensions import db
from inspector.findings.services import sync_findings
from inspector.inspections import drafts
from inspector.inspections.amendments import rescore
from inspector.inspections.answers import AnswerSet, check_answers
from inspector.limits import TEXT_LENGTH
from inspector.models import Checklist, ClosedPeriod, Inspection, InspectionStatus
from inspector.organization.queries import active_site
from inspector.periods import FIRST_DAY, LAST_DAY, local_date, parse_timestamp
from inspector.photos.services import photos_by_uuid

SIGNERS = ("inspector", "representative")
EDITABLE = (InspectionStatus.DRAFT, InspectionStatus.RETURNED)


def body_hash(body) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def save_inspection(actor, uuid, body, settings):
    """Create or update the inspection `uuid` from a contract body; return (it, created)."""
    digest = body_hash(body)
    inspection = db.session.scalar(select(Inspection).where(Inspection.uuid == uuid))
    if inspection is not None:
        if inspection.body_sha256 == digest:
            # A retry of what we already accepted (even after a return: correcting a
            # returned inspection means sending something different).
            return inspection, False
        if inspection.status not in EDITABLE:
            raise ConflictError(_l("This inspection was already submitted with other content."))
    checklist, site, times = resolve_references(body, settings["TIMEZONE"])
    if inspection is None:  # inspections already made keep their checklist, retired or not
        check_may_start(actor, checklist, site, times.get("started_at"))
    answers = check_answers(actor, checklist, body["responses"], submit=body["submit"])
    created = inspection is None
    if created:
        inspection = Inspection(uuid=uuid, inspector_id=actor.id)
        db.session.add(inspection)
    elif inspection.checklist_id != checklist.id:
        raise ValidationError({"template": _l("A saved inspection cannot change checklist.")})
    fill(inspection, checklist, site, times, body, answers)
    sign(actor, inspection, body.get("signatures") or {})
    inspection.body_sha256 = digest
    if body["submit"]:
        submit(actor, inspection, times.get("submitted_at"), settings)
    else:
        audit.record(actor, "inspection.save", inspection)
    return inspection, created


def resolve_references(body, zone):
    errors = {}
    checklist = db.session.get(Checklist, body["template"])
    if checklist is None:
        errors["template"] = _l("No such checklist.")
    site = active_site(body["site"])
    if site is None:
        errors["site"] = _l("No such site.")
    times = {}
    for name in ("started_at", "submitted_at"):
        if body.get(name):
            try:
                times[name] = parse_timestamp(body[name], zone)
            except ValueError:
                errors[name] = _l(
                    "Use an ISO 8601 date and time from %(first)s to %(last)s.",
                    first=FIRST_DAY,
                    last=LAST_DAY,
                )
    if errors:
        raise ValidationError(errors, "The inspection refers to things that do not exist.")
    return checklist, site, times


def fill(inspection, checklist, site, times, body, answers: AnswerSet):
    """Copy the body's fields and scored answers onto the inspection."""
    inspection.checklist_id = checklist.id
    inspection.site = site
    inspection.department_id = site.department_id
    inspection.started_at = times["started_at"]
    location = body.get("location") or {}
    inspection.lat, inspection.lon = location.get("lat"), location.get("lon")
    answers.apply_to(inspection)
    score = scoring.score_inspection(scoring_items(checklist), answers.values)
    inspection.earned, inspection.possible = score.earned, score.possible
    inspection.percent, inspection.critical_failed = score.percent, score.critical_failed
    if inspection.id is not None and inspection.amendments:
        rescore(inspection, checklist)  # rulings on appeal still stand after a correction


def sign(actor, inspection, signatures):
    """Attach the signatures drawn on the phone (uploaded as photos first)."""
    wanted = {role: signatures.get(role) for role in SIGNERS}
    photos = photos_by_uuid(actor, [uuid for uuid in wanted.values() if uuid])
    missing = {
        f"signatures.{role}": _l("Photos not uploaded: %(ids)s", ids=uuid)
        for role, uuid in wanted.items()
        if uuid and uuid not in photos
    }
    if missing:
        raise ValidationError(missing)
    inspection.inspector_signature = photos.get(wanted["inspector"])
    inspection.representative_signature = photos.get(wanted["representative"])
    inspection.representative_name = (signatures.get("representative_name") or "").strip()


def submit(actor, inspection, submitted_at, settings):
    was_returned = inspection.status == InspectionStatus.RETURNED
    inspection.status = InspectionStatus.SUBMITTED
    inspection.submitted_at = submitted_at or datetime.now(UTC)
    db.session.flush()
    drafts.forget(inspection)  # notes kept by the web screen before issue 14
    events.record(actor, "inspection.submitted", inspection)
    sync_findings(actor, inspection, settings["FINDING_DUE_DAYS"], settings["TIMEZONE"])
    audit.record(
        actor,
        "inspection.resubmit" if was_returned else "inspection.submit",
        inspection,
        percent=inspection.percent,
        critical=inspection.critical_failed,
    )


def review_inspection(actor, inspection, decision, comment, settings):
    """Approve or return a submitted inspection; repeating the same decision is a no-op."""
    target = InspectionStatus.APPROVED if decision == "approve" else InspectionStatus.RETURNED
    if inspection.status == target and inspection.review_comment == (comment or ""):
        return inspection
    if inspection.status != InspectionStatus.SUBMITTED:
        raise ConflictError(_l("Only a submitted inspection can be reviewed."))
    day = local_date(inspection.submitted_at, settings["TIMEZONE"])
    if ClosedPeriod.covering(day) is not None:
        raise PeriodClosedError()
    if target == InspectionStatus.RETURNED and not (comment or "").strip():
        raise ValidationError({"comment": _l("Say what must be corrected.")})
    check_lengths(("comment", comment, TEXT_LENGTH))
    inspection.status = target
    inspection.reviewed_by_id = actor.id
    inspection.reviewed_at = datetime.now(UTC)
    inspection.review_comment = (comment or "").strip()
    audit.record(actor, f"inspection.{decision}", inspection, comment=inspection.review_comment)
    events.record(actor, f"inspection.{target}", inspection)
    return inspection

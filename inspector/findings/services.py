"""Findings: opened from failed items or by hand, fixed with after photos, verified.

open → fixed → closed, or back to open when a fix is rejected; every step is audited.
Repeating a step that already took effect (a phone retrying) changes nothing.
"""

import uuid as uuid_module
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from inspector import audit, events
from inspector.errors import ConflictError, ValidationError, check_lengths
from inspector.extensions import db
from inspector.limits import TEXT_LENGTH, TITLE_LENGTH
from inspector.models import Finding, FindingPhoto, FindingResolution, FindingStatus
from inspector.organization.queries import active_site
from inspector.periods import FIRST_DAY, LAST_DAY, local_date, parse_day
from inspector.photos.services import photos_by_uuid


def sync_findings(actor, inspection, due_days, zone):
    """Make a submitted inspection's findings match its failed items (docs/scoring.md).

    Each failed item opens one finding, once. When a returned inspection is corrected and
    submitted again, items that newly fail open findings, and an item that no longer fails
    withdraws its finding if nobody has fixed it yet; a fixed or closed one keeps its state.
    An item that still fails shows its corrected note and photos in its finding while nobody
    has fixed it yet (the close-up a reviewer asked for reaches the department).
    """
    findings = db.session.scalars(
        select(Finding).where(
            Finding.inspection_id == inspection.id,
            Finding.item_id.is_not(None),
            or_(Finding.resolution.is_(None), Finding.resolution != FindingResolution.WITHDRAWN),
        )
    ).all()
    live = {finding.item_id: finding for finding in findings}
    failing = {response.item_id: response for response in inspection.responses if response.failed}
    for item_id, finding in live.items():
        if item_id not in failing and finding.status == FindingStatus.OPEN:
            withdraw(actor, finding)
    due = local_date(inspection.submitted_at, zone) + timedelta(days=due_days)
    for item_id, response in failing.items():
        if item_id not in live:
            open_for_response(actor, inspection, response, due)
        elif live[item_id].status == FindingStatus.OPEN:
            show_corrected(actor, live[item_id], response)


def open_for_response(actor, inspection, response, due):
    finding = Finding(
        uuid=str(uuid_module.uuid4()),
        site_id=inspection.site_id,
        department_id=inspection.department_id,
        inspection_id=inspection.id,
        item_id=response.item_id,
        title=response.item.text,
        description=response.note,
        due=due,
        created_by_id=actor.id,
        created_at=inspection.submitted_at,  # found when the inspection was submitted
        photos=[
            FindingPhoto(photo_id=link.photo_id, stage="before", position=link.position)
            for link in response.photos
        ],
    )
    db.session.add(finding)
    audit.record(actor, "finding.open", finding, inspection=inspection.uuid, item=response.item.key)
    events.record(actor, "finding.opened", finding)


def show_corrected(actor, finding, response):
    """Give an open finding its item's note and photos as the corrected inspection has them.
    Its after photos (of a fix sent back) stay."""
    before = {link.photo_id: link for link in finding.photos if link.stage == "before"}
    wanted = {link.photo_id: link.position for link in response.photos}
    if (
        finding.description == response.note
        and {photo_id: link.position for photo_id, link in before.items()} == wanted
    ):
        return
    for photo_id, link in before.items():
        if photo_id not in wanted:
            finding.photos.remove(link)
    for photo_id, position in wanted.items():
        if photo_id in before:
            before[photo_id].position = position
        else:
            link = FindingPhoto(photo_id=photo_id, stage="before", position=position)
            finding.photos.append(link)
    finding.description = response.note
    audit.record(actor, "finding.correct", finding, inspection=finding.inspection.uuid)


def withdraw(actor, finding):
    """Close a finding its corrected inspection no longer backs."""
    finding.status, finding.resolution = FindingStatus.CLOSED, FindingResolution.WITHDRAWN
    finding.verified_by_id, finding.verified_at = actor.id, datetime.now(UTC)
    audit.record(actor, "finding.withdraw", finding, inspection=finding.inspection.uuid)
    events.record(actor, "finding.closed", finding)


def close_overturned(actor, inspection, item_id, appeal_uuid, comment=""):
    """Close the findings the item's failure opened: an appeal overturned that failure.

    An open finding or a fix awaiting verification is closed as "overturned"; one already
    closed keeps how it ended.
    """
    findings = db.session.scalars(
        select(Finding).where(
            Finding.inspection_id == inspection.id,
            Finding.item_id == item_id,
            Finding.status != FindingStatus.CLOSED,
        )
    ).all()
    for finding in findings:
        finding.status, finding.resolution = FindingStatus.CLOSED, FindingResolution.OVERTURNED
        finding.verified_by_id, finding.verified_at = actor.id, datetime.now(UTC)
        finding.verify_comment = comment  # the ruling's reason
        audit.record(actor, "finding.overturn", finding, appeal=appeal_uuid)
        events.record(actor, "finding.closed", finding)
    return findings


def attached(actor, uuids, field):
    """The photos for `uuids`, in order; ValidationError naming any not uploaded or repeated."""
    repeated = sorted({uuid for uuid in uuids if uuids.count(uuid) > 1})
    if repeated:
        raise ValidationError({field: _l("Photos listed twice: %(ids)s", ids=", ".join(repeated))})
    photos = photos_by_uuid(actor, uuids)
    missing = [uuid for uuid in uuids if uuid not in photos]
    if missing:
        raise ValidationError({field: _l("Photos not uploaded: %(ids)s", ids=", ".join(missing))})
    return [photos[uuid] for uuid in uuids]


def save_finding(actor, uuid, body, settings, campaign=None):
    """Open a finding by hand, or update one the actor opened while it is still open.

    A finding joins `campaign` (a spot of a cleanup) when it is opened, never later: a retry or
    an update leaves the campaign it was opened in as it is.
    """
    check_lengths(
        ("title", body["title"], TITLE_LENGTH),
        ("description", body.get("description"), TEXT_LENGTH),
    )
    site = active_site(body["site"])
    if site is None:
        raise ValidationError({"site": _l("No such site.")})
    if campaign is not None and site not in campaign.sites:
        raise ValidationError({"site": _l("This site is not part of the campaign.")})
    finding = db.session.scalar(select(Finding).where(Finding.uuid == uuid))
    # Without a due date a new finding gets the default; a retry keeps the stored one.
    due = finding.due if finding and not body.get("due") else parse_due(body.get("due"), settings)
    before = attached(actor, body.get("before_photos", []), "before_photos")
    created = finding is None
    if created:
        finding = Finding(uuid=uuid, created_by_id=actor.id, campaign=campaign)
        db.session.add(finding)
    elif same_finding(finding, site, body, due, before):
        return finding, False  # a retry of what is stored
    elif finding.created_by_id != actor.id or finding.status != FindingStatus.OPEN:
        raise ConflictError(_l("This finding can no longer be changed."))
    finding.site, finding.department_id = site, site.department_id
    finding.title, finding.description = body["title"].strip(), body.get("description", "")
    finding.due = due
    finding.photos = [p for p in finding.photos if p.stage != "before"] + [
        FindingPhoto(photo=photo, stage="before", position=n) for n, photo in enumerate(before)
    ]
    audit.record(actor, "finding.open" if created else "finding.update", finding, site=site.code)
    if created:
        events.record(actor, "finding.opened", finding)
    return finding, created


def same_finding(finding, site, body, due, before):
    return (
        finding.site_id == site.id
        and finding.title == body["title"].strip()
        and finding.description == body.get("description", "")
        and finding.due == due
        and [p.photo_id for p in finding.photos if p.stage == "before"] == [p.id for p in before]
    )


def parse_due(raw, settings):
    if not raw:
        zone = settings["TIMEZONE"]
        return local_date(datetime.now(UTC), zone) + timedelta(days=settings["FINDING_DUE_DAYS"])
    try:
        return parse_day(raw)
    except ValueError:
        message = _l(
            "Use a date from %(first)s to %(last)s, YYYY-MM-DD.", first=FIRST_DAY, last=LAST_DAY
        )
        raise ValidationError({"due": message}) from None


def fix_finding(actor, finding, after_uuids, note):
    """Mark an open finding fixed, proven by at least one after photo."""
    if finding.status == FindingStatus.CLOSED:
        raise ConflictError(_l("This finding is already closed."))
    check_lengths(("note", note, TEXT_LENGTH))
    after = attached(actor, after_uuids, "after_photos")
    before = {link.photo_id for link in finding.photos if link.stage == "before"}
    if any(photo.id in before for photo in after):
        # One photo cannot prove both the fault and its fix (and is stored once per finding).
        raise ValidationError({"after_photos": _l("An after photo cannot be a before photo.")})
    if finding.status == FindingStatus.FIXED and [
        p.photo_id for p in finding.photos if p.stage == "after"
    ] == [p.id for p in after]:
        return finding  # a retry
    if finding.status != FindingStatus.OPEN:
        raise ConflictError(_l("Only an open finding can be fixed."))
    if not after:
        raise ValidationError({"after_photos": _l("Take at least one photo of the fix.")})
    # A rejected fix's old after photos stay in the audit trail, not on the finding.
    finding.photos = [p for p in finding.photos if p.stage == "before"] + [
        FindingPhoto(photo=photo, stage="after", position=n) for n, photo in enumerate(after)
    ]
    finding.status = FindingStatus.FIXED
    finding.fixed_by_id, finding.fixed_at = actor.id, datetime.now(UTC)
    finding.fix_note = (note or "").strip()
    audit.record(
        actor, "finding.fix", finding, after=[p.uuid for p in after], note=finding.fix_note
    )
    events.record(actor, "finding.fixed", finding)
    return finding


def verify_finding(actor, finding, decision, comment):
    """Accept a fix (closed) or reject it with a reason (open again)."""
    comment = (comment or "").strip()
    target = FindingStatus.CLOSED if decision == "accept" else FindingStatus.OPEN
    if (
        finding.verified_by_id == actor.id
        and finding.status == target
        and (finding.verify_comment == comment)
    ):
        return finding  # a retry
    if finding.status != FindingStatus.FIXED:
        raise ConflictError(_l("Only a fixed finding can be verified."))
    if decision == "reject" and not comment:
        raise ValidationError({"comment": _l("Say why the fix is not good enough.")})
    check_lengths(("comment", comment, TEXT_LENGTH))
    finding.status = target
    finding.resolution = FindingResolution.ACCEPTED if decision == "accept" else None
    finding.verified_by_id, finding.verified_at = actor.id, datetime.now(UTC)
    finding.verify_comment = comment
    audit.record(actor, f"finding.{decision}", finding, comment=comment)
    events.record(actor, "finding.closed" if decision == "accept" else "finding.reopened", finding)
    return finding

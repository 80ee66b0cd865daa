"""Opening findings; the fix and verify steps come with the findings screens."""

import uuid as uuid_module
from datetime import timedelta

from sqlalchemy import select

from inspector import audit
from inspector.extensions import db
from inspector.models import Finding, FindingPhoto
from inspector.periods import local_date


def open_findings_for(actor, inspection, due_days, zone):
    """Open one finding per failed item of a submitted inspection, once per item.

    A returned inspection that is corrected and submitted again keeps the findings it
    already opened and only gains findings for items that newly failed.
    """
    already = set(
        db.session.scalars(
            select(Finding.response_id).where(Finding.inspection_id == inspection.id)
        )
    )
    due = local_date(inspection.submitted_at, zone) + timedelta(days=due_days)
    for response in inspection.responses:
        if not response.failed or response.id in already:
            continue
        finding = Finding(
            uuid=str(uuid_module.uuid4()),
            site_id=inspection.site_id,
            department_id=inspection.department_id,
            inspection_id=inspection.id,
            response_id=response.id,
            title=response.item.text,
            description=response.note,
            due=due,
            created_by_id=actor.id,
            photos=[
                FindingPhoto(photo_id=link.photo_id, stage="before", position=link.position)
                for link in response.photos
            ],
        )
        db.session.add(finding)
        audit.record(
            actor, "finding.open", finding, inspection=inspection.uuid, item=response.item.key
        )

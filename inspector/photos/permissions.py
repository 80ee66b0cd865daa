"""Who may see a photo: its uploader, readers of every role, and readers of its records."""

from sqlalchemy import select

from inspector.activities.permissions import can_read as can_read_activity
from inspector.appeals.permissions import can_read as can_read_appeal
from inspector.extensions import db
from inspector.findings.permissions import can_read as can_read_finding
from inspector.inspections.permissions import can_read
from inspector.models import (
    Activity,
    ActivityPhoto,
    Appeal,
    AppealPhoto,
    Finding,
    FindingPhoto,
    Inspection,
    Response,
    ResponsePhoto,
    Role,
)


def can_see_photo(user, photo) -> bool:
    if user.role in (Role.ADMIN, Role.SUPERVISOR) or photo.uploaded_by_id == user.id:
        return True
    inspections = db.session.scalars(
        select(Inspection)
        .join(Response, Response.inspection_id == Inspection.id)
        .join(ResponsePhoto, ResponsePhoto.response_id == Response.id)
        .where(ResponsePhoto.photo_id == photo.id)
    )
    if any(can_read(user, inspection) for inspection in inspections):
        return True
    findings = db.session.scalars(
        select(Finding)
        .join(FindingPhoto, FindingPhoto.finding_id == Finding.id)
        .where(FindingPhoto.photo_id == photo.id)
    )
    if any(can_read_finding(user, finding) for finding in findings):
        return True
    activities = db.session.scalars(
        select(Activity)
        .join(ActivityPhoto, ActivityPhoto.activity_id == Activity.id)
        .where(ActivityPhoto.photo_id == photo.id)
    )
    if any(can_read_activity(user, activity) for activity in activities):
        return True
    # An appeal's evidence: whoever may read the appeal (the inspector whose inspection it
    # contests, the department's leads) sees its photos on its page.
    appeals = db.session.scalars(
        select(Appeal)
        .join(AppealPhoto, AppealPhoto.appeal_id == Appeal.id)
        .where(AppealPhoto.photo_id == photo.id)
    )
    return any(can_read_appeal(user, appeal) for appeal in appeals)


def may_download_original(user, photo) -> bool:
    """The original keeps its EXIF (time, GPS, phone): evidence for reviewers, not for all."""
    return user.role in (Role.ADMIN, Role.SUPERVISOR) or photo.uploaded_by_id == user.id

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
    """Reviewers, its uploader, and whoever may read a record it belongs to."""
    if user.role in (Role.ADMIN, Role.SUPERVISOR) or photo.uploaded_by_id == user.id:
        return True
    return any(
        may_read(user, record)
        for records, may_read in holders(photo.id)
        for record in db.session.scalars(records)
    )


def holders(photo_id):
    """Each kind of record a photo belongs to, with the rule for reading one: an inspection's
    answers, a finding, an activity, and an appeal (whoever may read the appeal, the inspector
    whose inspection it contests and the department's leads, sees its evidence)."""
    return (
        (
            select(Inspection)
            .join(Response, Response.inspection_id == Inspection.id)
            .join(ResponsePhoto, ResponsePhoto.response_id == Response.id)
            .where(ResponsePhoto.photo_id == photo_id),
            can_read,
        ),
        (
            select(Finding)
            .join(FindingPhoto, FindingPhoto.finding_id == Finding.id)
            .where(FindingPhoto.photo_id == photo_id),
            can_read_finding,
        ),
        (
            select(Activity)
            .join(ActivityPhoto, ActivityPhoto.activity_id == Activity.id)
            .where(ActivityPhoto.photo_id == photo_id),
            can_read_activity,
        ),
        (
            select(Appeal)
            .join(AppealPhoto, AppealPhoto.appeal_id == Appeal.id)
            .where(AppealPhoto.photo_id == photo_id),
            can_read_appeal,
        ),
    )


def may_download_original(user, photo) -> bool:
    """The original keeps its EXIF (time, GPS, phone): evidence for reviewers, not for all."""
    return user.role in (Role.ADMIN, Role.SUPERVISOR) or photo.uploaded_by_id == user.id

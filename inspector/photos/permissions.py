"""Who may see a photo: its uploader, readers of every role, and readers of its records."""

from sqlalchemy import select

from inspector.extensions import db
from inspector.inspections.permissions import can_read
from inspector.models import Finding, FindingPhoto, Inspection, Response, ResponsePhoto, Role


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
    departments = db.session.scalars(
        select(Finding.department_id)
        .join(FindingPhoto, FindingPhoto.finding_id == Finding.id)
        .where(FindingPhoto.photo_id == photo.id)
    ).all()
    if not departments:
        return False
    # Inspectors work on every department's findings; a lead only on their own.
    return user.role == Role.INSPECTOR or user.department_id in departments


def may_download_original(user, photo) -> bool:
    """The original keeps its EXIF (time, GPS, phone): evidence for reviewers, not for all."""
    return user.role in (Role.ADMIN, Role.SUPERVISOR) or photo.uploaded_by_id == user.id

"""Who may record, see and change which activities, and see which attached documents."""

from flask import abort
from sqlalchemy import or_, select

from inspector.extensions import db
from inspector.models import Activity, ActivityFile, Role

# Who records activities for any department; a lead records their own department's.
RECORDERS = (Role.ADMIN, Role.SUPERVISOR, Role.INSPECTOR)


def may_record(user, department_id) -> bool:
    if user.role in RECORDERS:
        return True
    return user.role == Role.LEAD and department_id == user.department_id


def can_read(user, activity) -> bool:
    """Everyone but a lead reads all; a lead their department's and the whole unit's."""
    if user.role != Role.LEAD:
        return True
    return activity.department_id in (None, user.department_id)


def may_edit(user, activity) -> bool:
    """Its author changes an activity (audited), and admins who stand in for them."""
    return activity.created_by_id == user.id or user.role == Role.ADMIN


def visible_activities(user, stmt=None):
    stmt = select(Activity) if stmt is None else stmt
    if user.role == Role.LEAD:
        return stmt.where(
            or_(Activity.department_id.is_(None), Activity.department_id == user.department_id)
        )
    return stmt


def get_activity_or_404(uuid, user):
    activity = db.session.scalar(select(Activity).where(Activity.uuid == uuid))
    if activity is None or not can_read(user, activity):
        abort(404)
    return activity


def can_see_file(user, record) -> bool:
    """Uploader and every role but a lead; a lead the files of activities they may read."""
    if user.role in RECORDERS or record.uploaded_by_id == user.id:
        return True
    activities = db.session.scalars(
        select(Activity)
        .join(ActivityFile, ActivityFile.activity_id == Activity.id)
        .where(ActivityFile.file_id == record.id)
    )
    return any(can_read(user, activity) for activity in activities)

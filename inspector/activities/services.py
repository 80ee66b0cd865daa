"""Recording activities: one idempotent save by uuid; a changed body by its author is an edit.

Every save and edit is audited with what changed, so a record corrected after the fact still
shows what it said before (the binder is evidence).
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from inspector import audit
from inspector.activities.permissions import may_edit, may_record
from inspector.activities.serialize import content_json
from inspector.errors import ForbiddenError, ValidationError, check_lengths
from inspector.extensions import db
from inspector.files.services import files_by_uuid
from inspector.limits import TEXT_LENGTH, TITLE_LENGTH
from inspector.models import (
    Activity,
    ActivityFile,
    ActivityKind,
    ActivityPhoto,
    Department,
    Role,
)
from inspector.periods import FIRST_DAY, LAST_DAY, parse_day
from inspector.photos.services import photos_by_uuid

FIELDS = ("kind", "title", "date", "department", "place", "participants", "participant_names",
          "description", "photos", "files")  # fmt: skip


def active_kind(code):
    return db.session.scalar(
        select(ActivityKind).where(ActivityKind.code == code, ActivityKind.active)
    )


def resolve(actor, body):
    """The records a body names, checked; ValidationError naming each fault."""
    faults = {}
    kind = active_kind(body["kind"])
    if kind is None:
        faults["kind"] = _l("No such activity kind.")
    department = None
    code = body.get("department")
    if code:
        department = db.session.scalar(
            select(Department).where(Department.code == code, Department.active)
        )
        if department is None:
            faults["department"] = _l("No such department.")
    elif actor.department_id is not None and ("department" not in body or actor.role == Role.LEAD):
        department = db.session.get(Department, actor.department_id)  # one's own by default
    try:
        day = parse_day(body["date"])
    except ValueError:
        day = None
        faults["date"] = _l(
            "Use a date from %(first)s to %(last)s, YYYY-MM-DD.", first=FIRST_DAY, last=LAST_DAY
        )
    photos = attached(photos_by_uuid(actor, body.get("photos", [])), body, "photos", faults)
    files = attached(files_by_uuid(actor, body.get("files", [])), body, "files", faults)
    if faults:
        raise ValidationError(faults, "The activity has invalid fields.")
    return kind, department, day, photos, files


def attached(found, body, field, faults):
    wanted = body.get(field, [])
    missing = [uuid for uuid in wanted if uuid not in found]
    if missing:
        faults[field] = _l("Not uploaded: %(ids)s", ids=", ".join(missing))
    return [found[uuid] for uuid in wanted if uuid in found]


def content(kind, department, day, body, photos, files):
    """What an activity says, comparable between a stored record and a request."""
    return {
        "kind": kind.code,
        "title": body["title"].strip(),
        "date": day.isoformat(),
        "department": department.code if department else None,
        "place": (body.get("place") or "").strip(),
        "participants": body.get("participants"),
        "participant_names": (body.get("participant_names") or "").strip(),
        "description": body.get("description") or "",
        "photos": [photo.uuid for photo in photos],
        "files": [record.uuid for record in files],
    }


def save_activity(actor, uuid, body):
    """Record activity `uuid`, or change it; return (activity, created). The caller commits."""
    check_lengths(
        ("title", body["title"], TITLE_LENGTH),
        ("place", body.get("place"), TITLE_LENGTH),  # its column holds 200
        ("participant_names", body.get("participant_names"), TEXT_LENGTH),
        ("description", body.get("description"), TEXT_LENGTH),
    )
    kind, department, day, photos, files = resolve(actor, body)
    if not may_record(actor, department.id if department else None):
        raise ForbiddenError(_l("A department lead records their own department's activities."))
    wanted = content(kind, department, day, body, photos, files)
    activity = db.session.scalar(select(Activity).where(Activity.uuid == uuid))
    if activity is not None:
        before = content_json(activity)
        if before == wanted:
            return activity, False  # a retry of what is stored
        if not may_edit(actor, activity):
            raise ForbiddenError(_l("Only its author may change this activity."))
        changed = {
            name: [before[name], wanted[name]] for name in FIELDS if before[name] != wanted[name]
        }
        fill(activity, kind, department, day, wanted, photos, files)
        audit.record(actor, "activity.edit", activity, changed=changed)
        return activity, False
    activity = Activity(uuid=uuid, created_by_id=actor.id)
    fill(activity, kind, department, day, wanted, photos, files)
    db.session.add(activity)
    audit.record(actor, "activity.create", activity, kind=kind.code, date=wanted["date"])
    return activity, True


def fill(activity, kind, department, day, wanted, photos, files):
    activity.kind, activity.department, activity.date = kind, department, day
    activity.title, activity.place = wanted["title"], wanted["place"]
    activity.participants = wanted["participants"]
    activity.participant_names = wanted["participant_names"]
    activity.description = wanted["description"]
    # Links kept are reused, not replaced: a new row with the same key would clash with the
    # old one before the old one is deleted.
    old_photos = {link.photo_id: link for link in activity.photos}
    activity.photos = [
        relinked(old_photos.get(p.id) or ActivityPhoto(photo=p), n) for n, p in enumerate(photos)
    ]
    old_files = {link.file_id: link for link in activity.files}
    activity.files = [
        relinked(old_files.get(f.id) or ActivityFile(file=f), n) for n, f in enumerate(files)
    ]


def relinked(link, position):
    link.position = position
    return link


def save_kind(actor, code, name, per_week, active=True):
    """Add or change an activity kind (admin)."""
    kind = db.session.scalar(select(ActivityKind).where(ActivityKind.code == code))
    if kind is None:
        kind = ActivityKind(code=code)
        db.session.add(kind)
    kind.name, kind.per_week, kind.active = name, per_week, active
    audit.record(actor, "activity_kind.save", kind, name=name, per_week=per_week)
    return kind

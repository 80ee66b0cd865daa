"""Activities, their kinds and attached files as the API shows them."""

from inspector.urls import public_url


def content_json(activity):
    """What its author wrote: compared with a new body to tell an edit from a retry."""
    return {
        "kind": activity.kind.code,
        "title": activity.title,
        "date": activity.date.isoformat(),
        "department": activity.department.code if activity.department else None,
        "place": activity.place,
        "participants": activity.participants,
        "participant_names": activity.participant_names,
        "description": activity.description,
        "photos": [link.photo.uuid for link in activity.photos],
        "files": [link.file.uuid for link in activity.files],
    }


def activity_json(activity):
    return {
        "id": activity.uuid,
        **content_json(activity),
        "author": activity.created_by.username,
        "created_at": activity.created_at.isoformat(),
        "updated_at": activity.updated_at.isoformat(),
    }


def kind_json(kind):
    return {"code": kind.code, "name": kind.name, "per_week": kind.per_week, "active": kind.active}


def file_json(record):
    return {
        "id": record.uuid,
        "sha256": record.sha256,
        "name": record.name,
        "size": record.size,
        "media_type": record.media_type,
        "url": public_url("files.download", uuid=record.uuid),
    }

"""Record entries in the audit trail; the caller commits with the change itself."""

from inspector.extensions import db
from inspector.models import AuditEvent


def record(actor, action, obj, **details):
    """Add an audit event for `actor` doing `action` to `obj` to the current session."""
    if getattr(obj, "id", "") is None:
        db.session.flush()  # a new record gets its id, so the event can name it
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=type(obj).__name__.lower(),
        object_id=str(getattr(obj, "uuid", None) or getattr(obj, "id", "")),
        details=details,
    )
    db.session.add(event)
    return event

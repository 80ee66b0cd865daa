"""The audit trail: who did what, when. Rows are only ever added."""

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, ForeignKey, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from inspector.extensions import db
from inspector.models._columns import UTCDateTime, utcnow


class AuditEvent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(String(64))  # e.g. "user.create", "inspection.submit"
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[Optional[str]] = mapped_column(String(64))
    details: Mapped[Any] = mapped_column(JSON, default=dict)

    actor: Mapped[Optional["User"]] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<AuditEvent {self.action} {self.object_type}:{self.object_id}>"


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def refuse_changes(mapper, connection, target):
    """The trail is append-only: no code path of the app may change or remove an event."""
    raise PermissionError("Audit events are never changed or deleted.")


@event.listens_for(Session, "do_orm_execute")
def refuse_bulk_changes(state):
    """Nor through UPDATE or DELETE statements."""
    if (state.is_update or state.is_delete) and any(
        mapper.class_ is AuditEvent for mapper in state.all_mappers
    ):
        raise PermissionError("Audit events are never changed or deleted.")

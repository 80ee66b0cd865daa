"""The outbox: events recorded in the transaction of the change that caused them."""

from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspector.extensions import db
from inspector.models._columns import UTCDateTime, utcnow


class Event(db.Model):
    # Undispatched events are found by (dispatched_at IS NULL, id): the worker fans them out
    # in the order they happened (inspector/notifications/dispatch.py).
    __table_args__ = (Index("ix_event_dispatched_at_id", "dispatched_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32))  # "finding.opened", ...
    # The record it is about, e.g. "finding:<uuid>": its events are delivered in order.
    record_key: Mapped[str] = mapped_column(String(80))
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("department.id"))
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The record as the API's GET answers it, when the change committed.
    data: Mapped[Any] = mapped_column(JSON, default=dict)
    dispatched_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    actor: Mapped[Optional["User"]] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.name} {self.record_key}>"


class JobRun(db.Model):
    """A periodic job's run for one period: the unique key makes it run once per period."""

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)  # "2026-11-30", "2026-W49"
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<JobRun {self.name} {self.period}>"


class OverdueNotice(db.Model):
    """A finding announced overdue (level 1, to its lead) or escalated (2, to supervisors)."""

    finding_id: Mapped[int] = mapped_column(
        ForeignKey("finding.id", ondelete="CASCADE"), primary_key=True
    )
    due: Mapped[str] = mapped_column(String(10), primary_key=True)  # its due day, ISO
    level: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<OverdueNotice finding {self.finding_id} level {self.level}>"

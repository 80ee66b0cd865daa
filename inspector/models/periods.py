"""Closed score periods: their numbers are frozen in a snapshot when a supervisor closes them."""

import functools
from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import JSON, Date, ForeignKey, Index, String, bindparam, select, text
from sqlalchemy.orm import Mapped, mapped_column

from inspector.extensions import db
from inspector.models._columns import UTCDateTime, utcnow


class ClosedPeriod(db.Model):
    # One open (not reopened) close per span; the history of closes and reopens stays.
    __table_args__ = (
        Index("ix_closed_period_span", "first", "last"),
        # At most one close in force per span: a second close at the same moment fails.
        Index(
            "ix_closed_period_in_force",
            "first",
            "last",
            unique=True,
            sqlite_where=text("reopened_at IS NULL"),
            postgresql_where=text("reopened_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    first: Mapped[date] = mapped_column()
    last: Mapped[date] = mapped_column()
    closed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # {"provisional": sheet, "final": sheet}, each as GET /api/v1/scores answers it.
    snapshot: Mapped[Any] = mapped_column(JSON)
    reopened_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    reopened_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    @classmethod
    def in_force(cls, first: date, last: date) -> Optional["ClosedPeriod"]:
        """The close in force for exactly first..last, if any."""
        return db.session.scalar(in_force_query(), {"first": first, "last": last})

    @classmethod
    def covering(cls, day: date) -> Optional["ClosedPeriod"]:
        """A close in force whose days include `day`, if any."""
        return db.session.scalar(
            select(cls).where(cls.first <= day, cls.last >= day, cls.reopened_at.is_(None)).limit(1)
        )

    def __repr__(self) -> str:
        return f"<ClosedPeriod {self.first}..{self.last}>"


@functools.cache
def in_force_query():
    """Built once: every score sheet asks it (building a statement costs more than running it)."""
    period = ClosedPeriod
    return select(period).where(
        period.first == bindparam("first", type_=Date),
        period.last == bindparam("last", type_=Date),
        period.reopened_at.is_(None),
    )

"""Evidence archives (台账) built in the background: who asked, for which days, and the file."""

import enum
from datetime import date, datetime
from typing import Optional

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspector.extensions import db
from inspector.models._columns import UTCDateTime, enum_type, utcnow


class ArchiveStatus(enum.StrEnum):
    PENDING = "pending"
    BUILDING = "building"
    READY = "ready"
    FAILED = "failed"


class DocumentArchive(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    first: Mapped[date] = mapped_column()
    last: Mapped[date] = mapped_column()
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[ArchiveStatus] = mapped_column(
        enum_type(ArchiveStatus), default=ArchiveStatus.PENDING
    )
    # In photo storage under this key once ready (a worker may run on another machine).
    file_key: Mapped[Optional[str]] = mapped_column(String(200))
    size: Mapped[Optional[int]] = mapped_column()
    documents: Mapped[Optional[int]] = mapped_column()
    error: Mapped[str] = mapped_column(Text, default="")
    # While building: which build holds it, until when (renewed as it writes), how many began.
    builder: Mapped[Optional[str]] = mapped_column(String(32))
    lease_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    requested_by: Mapped["User"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<DocumentArchive {self.id} {self.first}..{self.last} {self.status}>"

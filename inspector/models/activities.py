"""Activity records (活动记录): what the unit does besides inspections, with its evidence."""

import datetime as dt
from typing import Optional

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspector.extensions import db
from inspector.models._columns import UTCDateTime, utcnow


class ActivityKind(db.Model):
    """A kind of activity (political study, cleanup, ...), configurable by admins."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    # A recurring expectation: records expected per department each week (0: none).
    per_week: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<ActivityKind {self.code}>"


class StoredFile(db.Model):
    """An uploaded document (PDF, DOCX, XLSX or an image), kept byte for byte."""

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column()
    media_type: Mapped[str] = mapped_column(String(100))  # as detected from the bytes
    key: Mapped[str] = mapped_column(String(300))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<StoredFile {self.uuid} {self.media_type}>"


class Activity(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    kind_id: Mapped[int] = mapped_column(ForeignKey("activity_kind.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    date: Mapped[dt.date] = mapped_column(index=True)
    # None: the whole unit's activity (it counts for every department).
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("department.id"), index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    participants: Mapped[Optional[int]] = mapped_column()
    participant_names: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    kind: Mapped[ActivityKind] = relationship()
    department: Mapped[Optional["Department"]] = relationship()  # noqa: F821
    created_by: Mapped["User"] = relationship()  # noqa: F821
    photos: Mapped[list["ActivityPhoto"]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityPhoto.position"
    )
    files: Mapped[list["ActivityFile"]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityFile.position"
    )

    def __repr__(self) -> str:
        return f"<Activity {self.uuid} {self.date}>"


class ActivityPhoto(db.Model):
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True
    )
    photo_id: Mapped[int] = mapped_column(ForeignKey("photo.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)

    photo: Mapped["Photo"] = relationship()  # noqa: F821


class ActivityFile(db.Model):
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True
    )
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)

    file: Mapped[StoredFile] = relationship()

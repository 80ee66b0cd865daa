"""Photos: the uploaded original plus re-encoded display and thumbnail copies."""

from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspector.extensions import db
from inspector.models._columns import UTCDateTime, utcnow


class Photo(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    format: Mapped[str] = mapped_column(String(16))  # as detected from the bytes
    size: Mapped[int] = mapped_column()  # bytes of the original
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    taken_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    lat: Mapped[Optional[float]] = mapped_column()
    lon: Mapped[Optional[float]] = mapped_column()
    original_key: Mapped[str] = mapped_column(String(200))
    display_key: Mapped[str] = mapped_column(String(200))
    thumb_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploaded_by: Mapped["User"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<Photo {self.uuid}>"

"""Findings (整改): problems to fix, proven fixed with after photos."""

import enum
from datetime import date, datetime
from typing import Optional

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspector.extensions import db
from inspector.models._columns import UTCDateTime, enum_type, utcnow


class FindingStatus(enum.StrEnum):
    OPEN = "open"
    FIXED = "fixed"
    CLOSED = "closed"


class FindingResolution(enum.StrEnum):
    """How a closed finding ended."""

    ACCEPTED = "accepted"  # a reviewer accepted the fix
    WITHDRAWN = "withdrawn"  # the corrected inspection no longer fails its item
    OVERTURNED = "overturned"  # an appeal overturned the deduction that opened it


class Finding(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    inspection_id: Mapped[Optional[int]] = mapped_column(ForeignKey("inspection.id"), index=True)
    # The checklist item whose failure opened it (None for findings opened by hand). Not the
    # answer row: a returned inspection's answers are rewritten when it is corrected.
    item_id: Mapped[Optional[int]] = mapped_column(ForeignKey("checklist_item.id"))
    campaign_id: Mapped[Optional[int]] = mapped_column(ForeignKey("campaign.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    due: Mapped[Optional[date]] = mapped_column()
    status: Mapped[FindingStatus] = mapped_column(
        enum_type(FindingStatus), default=FindingStatus.OPEN
    )
    resolution: Mapped[Optional[FindingResolution]] = mapped_column(enum_type(FindingResolution))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    fixed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    fixed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    fix_note: Mapped[str] = mapped_column(Text, default="")
    verified_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    verified_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    verify_comment: Mapped[str] = mapped_column(Text, default="")

    site: Mapped["Site"] = relationship()  # noqa: F821
    department: Mapped["Department"] = relationship()  # noqa: F821
    inspection: Mapped[Optional["Inspection"]] = relationship()  # noqa: F821
    item: Mapped[Optional["ChecklistItem"]] = relationship()  # noqa: F821
    campaign: Mapped[Optional["Campaign"]] = relationship(back_populates="spots")  # noqa: F821
    fixed_by: Mapped[Optional["User"]] = relationship(foreign_keys=[fixed_by_id])  # noqa: F821
    verified_by: Mapped[Optional["User"]] = relationship(foreign_keys=[verified_by_id])  # noqa: F821
    photos: Mapped[list["FindingPhoto"]] = relationship(
        cascade="all, delete-orphan", order_by="FindingPhoto.position"
    )

    def __repr__(self) -> str:
        return f"<Finding {self.uuid} {self.status}>"


class FindingPhoto(db.Model):
    finding_id: Mapped[int] = mapped_column(
        ForeignKey("finding.id", ondelete="CASCADE"), primary_key=True
    )
    photo_id: Mapped[int] = mapped_column(ForeignKey("photo.id"), primary_key=True, index=True)
    stage: Mapped[str] = mapped_column(String(8))  # "before" or "after"
    position: Mapped[int] = mapped_column(default=0)

    photo: Mapped["Photo"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<FindingPhoto {self.finding_id}/{self.photo_id} {self.stage}>"

"""Appeals (申诉) against a deduction, and the amendments an overturned appeal makes."""

import enum
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspector.extensions import db
from inspector.models._columns import UTCDateTime, enum_type, utcnow


class AppealStatus(enum.StrEnum):
    PENDING = "pending"
    WITHDRAWN = "withdrawn"
    UPHELD = "upheld"
    OVERTURNED = "overturned"


class Appeal(db.Model):
    # One appeal per item of an inspection, ever: a withdrawn or decided one is not refiled.
    __table_args__ = (UniqueConstraint("inspection_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("checklist_item.id"))
    # The inspection's department, copied: lists by department need no join.
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[AppealStatus] = mapped_column(
        enum_type(AppealStatus), default=AppealStatus.PENDING, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    decision_comment: Mapped[str] = mapped_column(Text, default="")
    # The corrected answer of an overturn (as the API takes it), None otherwise.
    decision_answer: Mapped[Any] = mapped_column(JSON, nullable=True)

    inspection: Mapped["Inspection"] = relationship()  # noqa: F821
    item: Mapped["ChecklistItem"] = relationship()  # noqa: F821
    department: Mapped["Department"] = relationship()  # noqa: F821
    author: Mapped["User"] = relationship(foreign_keys=[author_id])  # noqa: F821
    decided_by: Mapped[Optional["User"]] = relationship(foreign_keys=[decided_by_id])  # noqa: F821
    photos: Mapped[list["AppealPhoto"]] = relationship(
        cascade="all, delete-orphan", order_by="AppealPhoto.position"
    )

    def __repr__(self) -> str:
        return f"<Appeal {self.uuid} {self.status}>"


class AppealPhoto(db.Model):
    appeal_id: Mapped[int] = mapped_column(
        ForeignKey("appeal.id", ondelete="CASCADE"), primary_key=True
    )
    photo_id: Mapped[int] = mapped_column(ForeignKey("photo.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)

    photo: Mapped["Photo"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<AppealPhoto {self.appeal_id}/{self.photo_id}>"


class Amendment(db.Model):
    """A ruling's change to one answer: the answer row itself keeps what the inspector saw."""

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspection.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("checklist_item.id"))
    appeal_id: Mapped[Optional[int]] = mapped_column(ForeignKey("appeal.id"))
    answer_from: Mapped[Any] = mapped_column(JSON)
    answer_to: Mapped[Any] = mapped_column(JSON)
    by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # {"earned", "possible", "percent"} of the whole inspection before and after.
    score_before: Mapped[Any] = mapped_column(JSON)
    score_after: Mapped[Any] = mapped_column(JSON)

    item: Mapped["ChecklistItem"] = relationship()  # noqa: F821
    appeal: Mapped[Optional[Appeal]] = relationship()
    by: Mapped["User"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        change = f"{self.answer_from!r}->{self.answer_to!r}"
        return f"<Amendment {self.inspection_id}/{self.item_id} {change}>"

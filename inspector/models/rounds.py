"""Rounds (督查轮次): a planned visit of chosen or sampled sites, each assigned to an inspector."""

import enum
from datetime import date, datetime
from typing import Any, Optional

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspector.extensions import db
from inspector.models._columns import UTCDateTime, enum_type, utcnow


class AssignmentOutcome(enum.StrEnum):
    """How an assignment ended without an inspection (an inspection makes it `done`)."""

    UNABLE = "unable"  # 无法检查: closed, nobody there, road cut...
    REFUSED = "refused"  # 拒检: the site refused the inspector


class Round(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    checklist_id: Mapped[int] = mapped_column(ForeignKey("checklist.id"), index=True)
    starts_on: Mapped[date] = mapped_column(index=True)
    ends_on: Mapped[date] = mapped_column()
    # The sample as asked ({"size", "pool", "strata", "seed", "exclude_recent"}); None when the
    # sites were listed by hand.
    sample: Mapped[Optional[Any]] = mapped_column(JSON)
    # Unannounced: the departments do not see the round's sites until it ends.
    hidden: Mapped[bool] = mapped_column(default=False)
    # Repeating rounds: every occurrence is its own round; they share a series id.
    series: Mapped[Optional[str]] = mapped_column(String(36), index=True)
    # Hash of the accepted request body: the same POST again is answered with this round.
    body_sha256: Mapped[Optional[str]] = mapped_column(String(64))
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    checklist: Mapped["Checklist"] = relationship()  # noqa: F821
    created_by: Mapped[Optional["User"]] = relationship()  # noqa: F821
    assignments: Mapped[list["Assignment"]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="Assignment.id"
    )

    def __repr__(self) -> str:
        return f"<Round {self.uuid} {self.title!r}>"


class Assignment(db.Model):
    __table_args__ = (UniqueConstraint("round_id", "site_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    outcome: Mapped[Optional[AssignmentOutcome]] = mapped_column(enum_type(AssignmentOutcome))
    reason: Mapped[str] = mapped_column(Text, default="")
    outcome_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    round: Mapped[Round] = relationship(back_populates="assignments")
    site: Mapped["Site"] = relationship()  # noqa: F821
    inspector: Mapped["User"] = relationship()  # noqa: F821
    photos: Mapped[list["AssignmentPhoto"]] = relationship(
        cascade="all, delete-orphan", order_by="AssignmentPhoto.position"
    )

    def __repr__(self) -> str:
        return f"<Assignment {self.uuid}>"


class AssignmentPhoto(db.Model):
    """The evidence for an outcome: a photo of the closed gate, the refusal..."""

    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignment.id", ondelete="CASCADE"), primary_key=True
    )
    photo_id: Mapped[int] = mapped_column(ForeignKey("photo.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)

    photo: Mapped["Photo"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<AssignmentPhoto {self.assignment_id}/{self.photo_id}>"

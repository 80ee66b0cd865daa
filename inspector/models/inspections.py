"""Inspections (督查): one checklist answered at one site, with its stored score."""

import enum
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspector.extensions import db
from inspector.models._columns import UTCDateTime, enum_type, utcnow


class InspectionStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


class Inspection(db.Model):
    # Score sheets aggregate by department over submitted_at ranges. With status, percent
    # and critical_failed in the index too, a roll-up seeks each department's range and
    # reads only the index, never the table (inspector.scores.rollup.aggregate).
    __table_args__ = (
        Index(
            "ix_inspection_dept_submitted_score",
            "department_id",
            "submitted_at",
            "status",
            "percent",
            "critical_failed",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    checklist_id: Mapped[int] = mapped_column(ForeignKey("checklist.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    # The site's department when inspected: later reassignments don't rewrite history.
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    inspector_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[InspectionStatus] = mapped_column(
        enum_type(InspectionStatus), default=InspectionStatus.DRAFT
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    lat: Mapped[Optional[float]] = mapped_column()
    lon: Mapped[Optional[float]] = mapped_column()
    # Stored score, computed by inspector.scoring when the answers are saved.
    earned: Mapped[Optional[float]] = mapped_column()
    possible: Mapped[Optional[float]] = mapped_column()
    percent: Mapped[Optional[float]] = mapped_column()
    critical_failed: Mapped[bool] = mapped_column(default=False)
    # Hash of the last accepted request body: a retry with the same body is a no-op.
    body_sha256: Mapped[Optional[str]] = mapped_column(String(64))
    reviewed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    reviewed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    # Drawn on the phone and uploaded as images; printed on the inspection report.
    inspector_signature_id: Mapped[Optional[int]] = mapped_column(ForeignKey("photo.id"))
    representative_signature_id: Mapped[Optional[int]] = mapped_column(ForeignKey("photo.id"))
    representative_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    checklist: Mapped["Checklist"] = relationship()  # noqa: F821
    site: Mapped["Site"] = relationship()  # noqa: F821
    department: Mapped["Department"] = relationship()  # noqa: F821
    inspector: Mapped["User"] = relationship(foreign_keys=[inspector_id])  # noqa: F821
    reviewed_by: Mapped[Optional["User"]] = relationship(foreign_keys=[reviewed_by_id])  # noqa: F821
    inspector_signature: Mapped[Optional["Photo"]] = relationship(  # noqa: F821
        foreign_keys=[inspector_signature_id]
    )
    representative_signature: Mapped[Optional["Photo"]] = relationship(  # noqa: F821
        foreign_keys=[representative_signature_id]
    )
    responses: Mapped[list["Response"]] = relationship(
        back_populates="inspection", cascade="all, delete-orphan", order_by="Response.id"
    )
    # Answers changed by rulings on appeal (inspector.inspections.amendments), oldest first.
    amendments: Mapped[list["Amendment"]] = relationship(  # noqa: F821
        cascade="all, delete-orphan", order_by="Amendment.id"
    )

    @property
    def progress(self) -> tuple[int, int]:
        """(scored items answered, scored items): free-text remarks are optional."""
        scored = {item.id for item in self.checklist.items if item.type != "text"}
        done = sum(1 for response in self.responses if response.item_id in scored)
        return done, len(scored)

    def __repr__(self) -> str:
        return f"<Inspection {self.uuid} {self.status}>"


class Response(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspection.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("checklist_item.id"), index=True)
    answer: Mapped[Any] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    earned: Mapped[Optional[float]] = mapped_column()
    possible: Mapped[Optional[float]] = mapped_column()
    failed: Mapped[bool] = mapped_column(default=False)

    inspection: Mapped[Inspection] = relationship(back_populates="responses")
    item: Mapped["ChecklistItem"] = relationship()  # noqa: F821
    photos: Mapped[list["ResponsePhoto"]] = relationship(
        cascade="all, delete-orphan", order_by="ResponsePhoto.position"
    )

    @property
    def answer_in_force(self) -> Any:
        """The answer after the rulings on appeal that amended it (the given one if none).

        An amendment applies while the answer it amended is still the one given: when a
        returned inspection is corrected by its author, the author's new answer stands.
        """
        answer = self.answer
        for amendment in self.inspection.amendments:
            if amendment.item_id == self.item_id and amendment.answer_from == answer:
                answer = amendment.answer_to
        return answer

    def __repr__(self) -> str:
        return f"<Response {self.item_id}={self.answer!r}>"


class ResponsePhoto(db.Model):
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    photo_id: Mapped[int] = mapped_column(ForeignKey("photo.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(default=0)

    photo: Mapped["Photo"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<ResponsePhoto {self.response_id}/{self.photo_id}>"

"""Checklists (检查表): versioned templates of sections and items."""

import enum
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspector.extensions import db
from inspector.models._columns import UTCDateTime, enum_type, utcnow


class ItemType(enum.StrEnum):
    CHECK = "check"
    SCALE = "scale"
    DEDUCT = "deduct"
    TEXT = "text"


class ChecklistStatus(enum.StrEnum):
    """A checklist's lifecycle: tried by admins, offered to everyone, then kept for the record."""

    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class Checklist(db.Model):
    """One version of a checklist; a new version is a new row with the same code."""

    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(default=1)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # Only the newest version of a code is offered for new inspections.
    is_current: Mapped[bool] = mapped_column(default=True)
    # The lifecycle and the site kinds belong to the code: every version of it carries the same.
    status: Mapped[ChecklistStatus] = mapped_column(
        enum_type(ChecklistStatus), default=ChecklistStatus.PUBLISHED
    )
    # When it was last retired: an inspection a phone began before that is still accepted.
    retired_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # Space-separated site kinds (office residential public) it is offered at; "" means all.
    site_kinds: Mapped[str] = mapped_column(String(64), default="")
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sections: Mapped[list["ChecklistSection"]] = relationship(
        back_populates="checklist",
        order_by="ChecklistSection.position",
        cascade="all, delete-orphan",
    )
    items: Mapped[list["ChecklistItem"]] = relationship(
        back_populates="checklist", order_by="ChecklistItem.position", viewonly=True
    )

    def __repr__(self) -> str:
        return f"<Checklist {self.code} v{self.version}>"

    @property
    def kinds(self) -> list[str]:
        return self.site_kinds.split()

    def suits(self, kind) -> bool:
        """Whether this checklist is offered at a site of `kind`."""
        return not self.site_kinds or str(kind) in self.kinds


class ChecklistSection(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[int] = mapped_column(
        ForeignKey("checklist.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))

    checklist: Mapped[Checklist] = relationship(back_populates="sections")
    items: Mapped[list["ChecklistItem"]] = relationship(
        back_populates="section",
        order_by="ChecklistItem.position",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<ChecklistSection {self.title!r}>"


class ChecklistItem(db.Model):
    __table_args__ = (UniqueConstraint("checklist_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_id: Mapped[int] = mapped_column(
        ForeignKey("checklist.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int] = mapped_column(
        ForeignKey("checklist_section.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)  # order within the whole checklist
    key: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(String(500))
    guidance: Mapped[str] = mapped_column(Text, default="")
    type: Mapped[ItemType] = mapped_column(enum_type(ItemType))
    points: Mapped[Optional[float]] = mapped_column()
    per: Mapped[Optional[float]] = mapped_column()
    critical: Mapped[bool] = mapped_column(default=False)
    photo_on_fail: Mapped[bool] = mapped_column(default=False)

    checklist: Mapped[Checklist] = relationship(back_populates="items")
    section: Mapped[ChecklistSection] = relationship(back_populates="items")

    def __repr__(self) -> str:
        return f"<ChecklistItem {self.key}>"

"""Cleanup campaigns (环境整治): a named effort over sites and dates, its spots documented
before and after."""

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspector.extensions import db
from inspector.models._columns import UTCDateTime, utcnow

campaign_site = Table(
    "campaign_site",
    db.metadata,
    Column("campaign_id", ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", ForeignKey("site.id"), primary_key=True),
)


class Campaign(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date] = mapped_column()
    ends_on: Mapped[date] = mapped_column()
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sites: Mapped[list["Site"]] = relationship(secondary=campaign_site, order_by="Site.code")  # noqa: F821
    spots: Mapped[list["Finding"]] = relationship(  # noqa: F821
        back_populates="campaign", order_by="Finding.id"
    )

    def __repr__(self) -> str:
        return f"<Campaign {self.name!r}>"


class DraftNote(db.Model):
    """A note (or photo) on an item not answered yet, kept until the answer comes.

    The contract's inspection body carries only answered items; this keeps what an
    inspector typed or photographed first from being lost between saves.
    """

    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspection.id", ondelete="CASCADE"), primary_key=True
    )
    item_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    note: Mapped[str] = mapped_column(Text, default="")
    photos: Mapped[Optional[str]] = mapped_column(Text)  # space-separated photo uuids

    def __repr__(self) -> str:
        return f"<DraftNote {self.inspection_id}/{self.item_key}>"

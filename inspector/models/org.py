"""Departments (科室) and the sites (检查点) each is responsible for."""

import enum
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspector.extensions import db
from inspector.models._columns import UTCDateTime, enum_type, utcnow


class SiteKind(enum.StrEnum):
    OFFICE = "office"
    RESIDENTIAL = "residential"
    PUBLIC = "public"


class Department(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sites: Mapped[list["Site"]] = relationship(back_populates="department")

    def __repr__(self) -> str:
        return f"<Department {self.code}>"


class Site(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[SiteKind] = mapped_column(enum_type(SiteKind))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"), index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    # The community (社区, 村) it lies in, "" for none: rounds draw from some communities, or
    # at least one site per community (inspector.rounds.services).
    community: Mapped[str] = mapped_column(String(100), default="", server_default="")
    # Weekly rounds: how many inspections this site expects each week.
    expected_per_week: Mapped[int] = mapped_column(default=1)
    # Proof of presence: an inspection whose GPS lies farther than radius_m from here, or that
    # has none, is flagged on review (inspector.organization.presence); never refused.
    lat: Mapped[Optional[float]] = mapped_column()
    lon: Mapped[Optional[float]] = mapped_column()
    radius_m: Mapped[Optional[int]] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    department: Mapped[Department] = relationship(back_populates="sites")

    def __repr__(self) -> str:
        return f"<Site {self.code}>"

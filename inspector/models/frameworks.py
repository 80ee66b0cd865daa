"""Evaluation frameworks (测评体系): versioned indicators with points, and reviewers' marks."""

import enum
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspector.extensions import db
from inspector.models._columns import UTCDateTime, enum_type, utcnow


class Method(enum.StrEnum):
    INSPECTION = "inspection"
    ACTIVITY = "activity"
    MATERIAL = "material"
    SURVEY = "survey"


class Framework(db.Model):
    """One version of a framework; posting a code again makes a new version."""

    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int] = mapped_column(default=1)
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column()
    bonus_cap: Mapped[Optional[float]] = mapped_column()
    is_current: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    indicators: Mapped[list["Indicator"]] = relationship(
        back_populates="framework", order_by="Indicator.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Framework {self.code} v{self.version}>"


class Indicator(db.Model):
    __table_args__ = (UniqueConstraint("framework_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(
        ForeignKey("framework.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(64))
    section: Mapped[str] = mapped_column(String(200), default="")  # 测评项目
    title: Mapped[str] = mapped_column(String(200))  # 指标
    content: Mapped[str] = mapped_column(Text, default="")  # 测评内容
    criteria: Mapped[str] = mapped_column(Text, default="")  # 评分标准
    points: Mapped[Optional[float]] = mapped_column()  # None on a veto indicator
    method: Mapped[Method] = mapped_column(enum_type(Method))
    target: Mapped[Optional[int]] = mapped_column()
    veto: Mapped[bool] = mapped_column(default=False)
    bonus: Mapped[bool] = mapped_column(default=False)
    # Links as written in the framework document: [{"template", "item"}] and kind codes.
    items: Mapped[Any] = mapped_column(JSON, default=list)
    activity_kinds: Mapped[Any] = mapped_column(JSON, default=list)

    framework: Mapped[Framework] = relationship(back_populates="indicators")

    def __repr__(self) -> str:
        return f"<Indicator {self.code}>"


class FrameworkMark(db.Model):
    """A reviewer's mark on a material, survey or veto indicator; the newest one counts."""

    id: Mapped[int] = mapped_column(primary_key=True)
    # Marks belong to the framework's code, so a new version keeps the marks already given.
    framework_code: Mapped[str] = mapped_column(String(64), index=True)
    indicator: Mapped[str] = mapped_column(String(64))
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("department.id"))
    year: Mapped[int] = mapped_column()
    mark: Mapped[float] = mapped_column()
    note: Mapped[str] = mapped_column(Text, default="")
    marked_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    department: Mapped[Optional["Department"]] = relationship()  # noqa: F821
    marked_by: Mapped["User"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<FrameworkMark {self.framework_code}/{self.indicator}={self.mark}>"


class EvaluationClosure(db.Model):
    """A year's evaluation closed: the results as they were, per department and the unit."""

    __table_args__ = (UniqueConstraint("framework_code", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_code: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column()
    # {department code, or "" for the whole unit: the evaluation as the API answered it}
    results: Mapped[Any] = mapped_column(JSON, default=dict)
    closed_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    closed_by: Mapped["User"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<EvaluationClosure {self.framework_code} {self.year}>"

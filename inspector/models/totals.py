"""Running totals behind the score sheet and the hot spots, kept per local day, month and year.

They are derived data: inspector.scores.totals keeps them in step with the inspections and
their answers inside the same transaction as every write (a session hook, so no write path
can forget them), and can rebuild them from scratch (`flask rebuild-score-totals`). A sheet
for any span of days sums the fewest rows: whole years, then whole months, then single days
(docs/scoring.md, "How the totals are kept").
"""

from datetime import date

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from inspector.extensions import db

# A row's span: one local day, the month starting on `day`, or the year starting on `day`.
SPANS = ("day", "month", "year")


class DepartmentTotal(db.Model):
    """What one department's counted inspections of one span add up to, per status."""

    # No foreign keys: derived rows must never block deleting or rewriting what they sum.
    span: Mapped[str] = mapped_column(String(5), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)  # submitted / approved
    inspections: Mapped[int] = mapped_column(default=0)
    # The sum of the percents in whole tenths (percents have one decimal), and how many
    # inspections had a percent at all: the mean percent is exact from these two.
    tenths: Mapped[int] = mapped_column(default=0)
    scored: Mapped[int] = mapped_column(default=0)
    critical: Mapped[int] = mapped_column(default=0)  # inspections with a failed critical item

    def __repr__(self) -> str:
        return f"<DepartmentTotal {self.span} {self.day} {self.department_id} {self.status}>"


class ItemTotal(db.Model):
    """How often one checklist item was answered (scored, not N/A) and failed, per span."""

    __table_args__ = (Index("ix_item_total_department", "department_id", "span", "day"),)

    span: Mapped[str] = mapped_column(String(5), primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(primary_key=True)
    checked: Mapped[int] = mapped_column(default=0)
    failures: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<ItemTotal {self.span} {self.day} {self.department_id} {self.item_id}>"

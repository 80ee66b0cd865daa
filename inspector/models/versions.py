"""Change counters: a number that grows whenever the data behind a cached answer changes."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from inspector.extensions import db


class DataVersion(db.Model):
    # One row per cached area ("scores"); its counter grows in the same transaction as the
    # change, so every server sees a new number exactly when it can see the new data.
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    counter: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<DataVersion {self.name}={self.counter}>"


class DepartmentChange(db.Model):
    """Which departments' score sheet rows a change (one step of the scores counter) touched:
    their totals, or the department itself. Lets a server bring a sheet it has already
    computed up to date by re-reading those departments only (inspector.scores.kept)."""

    # Not departments (inspector.scores.cache): 0 stands for all of them (totals rebuilt by
    # raw SQL), -2 for a step that changed a close, -3 for one that did not, and -1 for a
    # step of older code that touched no department.
    version: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    department_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)

    def __repr__(self) -> str:
        return f"<DepartmentChange {self.version} {self.department_id}>"

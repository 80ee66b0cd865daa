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

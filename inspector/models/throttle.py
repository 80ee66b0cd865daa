"""Failed sign-ins and token guesses per account and address (inspector/auth/throttle.py)."""

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from inspector.extensions import db
from inspector.models._columns import UTCDateTime, utcnow


class ThrottleEvent(db.Model):
    # In the database, not in a worker's memory: every worker and server counts the same.
    __table_args__ = (Index("ix_throttle_event_scope_key_at", "scope", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))  # "login-pair", "login-user", ...
    key: Mapped[str] = mapped_column(String(64))  # a hash of the username and/or address
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<ThrottleEvent {self.scope} {self.at}>"

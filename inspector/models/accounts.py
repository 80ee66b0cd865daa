"""People who use the product, their roles and their API tokens."""

import enum
import secrets
from datetime import datetime
from typing import Optional

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from inspector.extensions import db
from inspector.models._columns import UTCDateTime, enum_type, utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    INSPECTOR = "inspector"
    LEAD = "lead"


def new_session_key() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("department.id"))
    locale: Mapped[Optional[str]] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the login cookie: changing it signs the user out everywhere.
    session_key: Mapped[str] = mapped_column(String(64), default=new_session_key)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    department: Mapped[Optional["Department"]] = relationship()  # noqa: F821

    def set_password(self, password: str) -> None:
        # Werkzeug's default is scrypt, a memory-hard KDF with a per-hash salt.
        self.password_hash = generate_password_hash(password)
        self.session_key = new_session_key()

    def end_sessions(self) -> None:
        """Make every signed-in session of this user invalid (a new key; cookies name the old)."""
        self.session_key = new_session_key()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_key}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def name(self) -> str:
        return self.display_name or self.username

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class ApiToken(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    # SHA-256 of the token: tokens are long random strings, so a fast hash suffices.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} of user {self.user_id}>"

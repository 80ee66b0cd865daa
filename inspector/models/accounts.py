"""People who use the product, their roles and their API tokens."""

import enum
import secrets
import unicodedata
from datetime import datetime
from typing import Optional

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
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


def normalize_username(text) -> str:
    """The one form of a username for finding its account and counting its failures."""
    # NFKC folds full-width letters and the ideographic space (U+3000) of Chinese keyboards;
    # casefold, not lower, so that every case variant of a name is the same account.
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text or "").casefold())
    return folded.strip()


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    # normalize_username(username): sign-in looks accounts up by it, and it is unique.
    username_key: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    # The hash seed-demo gave this account: while password_hash equals it, the account still
    # has the published demo password (inspector/demo/passwords.py).
    demo_password_hash: Mapped[Optional[str]] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("department.id"))
    locale: Mapped[Optional[str]] = mapped_column(String(8))
    # Where this person's notifications are mailed (inspector/notifications); None: inbox only.
    email: Mapped[Optional[str]] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(default=True)
    # Part of the login cookie: changing it signs the user out everywhere.
    session_key: Mapped[str] = mapped_column(String(64), default=new_session_key)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    department: Mapped[Optional["Department"]] = relationship()  # noqa: F821

    @validates("username")
    def _keep_username_key(self, _name, value):
        self.username_key = normalize_username(value)
        return value

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
    expires_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)  # None: never
    # To the minute at best: noted at most once a minute (inspector/auth/tokens.py: record_use).
    last_used_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    revoked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= utcnow()

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} of user {self.user_id}>"

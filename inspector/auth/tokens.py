"""API tokens: issued, listed, resolved on each request, expired and revoked."""

import contextlib
import functools
import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from inspector import audit
from inspector.auth.callers import Caller, selected_columns
from inspector.database import may_write, one_statement
from inspector.errors import ValidationError
from inspector.extensions import db
from inspector.models import ApiToken, Department, User
from inspector.models._columns import UTCDateTime

MAX_DAYS = 3650
USE_PRECISION = timedelta(minutes=1)  # last_used_at is written at most this often per token


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(actor, user, label="", days=None):
    """Issue a new API token for `user`, valid `days` days or for ever; return it."""
    if days is not None and not (isinstance(days, int) and 1 <= days <= MAX_DAYS):
        raise ValidationError({"days": f"A whole number of days from 1 to {MAX_DAYS}."})
    label = " ".join((label or "").split())[:100]  # one line in every listing
    token = "insp_" + secrets.token_urlsafe(32)
    expires_at = datetime.now(UTC) + timedelta(days=days) if days else None
    db.session.add(
        ApiToken(user=user, label=label, token_hash=hash_token(token), expires_at=expires_at)
    )
    audit.record(actor, "token.create", user, label=label, days=days)
    return token


def tokens_of(user):
    """The user's tokens that were not revoked, newest first (expired ones too)."""
    return db.session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.id.desc())
    ).all()


def revoke_token(actor, token):
    """Make `token` stop working at once; revoking it again changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = datetime.now(UTC)
        audit.record(actor, "token.revoke", token.user, token=token.id, label=token.label)
    return token


def caller_for_token(token):
    """The active user a valid, unexpired, unrevoked bearer token belongs to, or None.

    One Core statement, answered as a plain `Caller`: the ORM entity is made from the same row
    only when a request uses it (inspector/auth/callers.py).
    """
    if not token:
        return None
    now = datetime.now(UTC)
    with one_statement() as connection:
        found = connection.execute(
            token_caller_query(), {"token_hash": hash_token(token), "now": now}
        ).first()
    if found is None:
        return None
    row = found._mapping
    if row["token_used_at"] is None or now - row["token_used_at"] >= USE_PRECISION:
        record_use(row["token_id"], now)
    return Caller.from_row(row)


@functools.cache
def token_caller_query():
    """One statement for a token's user, their department and the token's last use.

    Built once: every API request runs it, and building a statement costs more than running it.
    """
    return (
        select(
            *selected_columns(),
            ApiToken.id.label("token_id"),
            ApiToken.last_used_at.label("token_used_at"),
        )
        .select_from(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .outerjoin(Department, Department.id == User.department_id)
        .where(
            ApiToken.token_hash == bindparam("token_hash"),
            ApiToken.revoked_at.is_(None),
            or_(
                ApiToken.expires_at.is_(None),
                ApiToken.expires_at > bindparam("now", type_=UTCDateTime()),
            ),
            User.active,
        )
    )


def use_statement(token_id, now):
    # The condition makes two workers noting the same minute write once.
    return (
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - USE_PRECISION),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )


def record_use(token_id, now):
    """Note when a token was used, without ever making the request wait or fail.

    A write request already holds the write lock: the note joins its transaction. A read (GET)
    never takes that lock itself; the note goes through a connection of its own that gives up at
    once when the database is busy (then the next use, a minute later, tries again).
    """
    if may_write():  # a write transaction, not the read-only part a write request begins with
        db.session.execute(use_statement(token_id, now))
        return
    try:
        with db.engine.connect() as connection, without_waiting(connection):
            connection.execute(use_statement(token_id, now))
            connection.commit()
    except SQLAlchemyError as error:
        current_app.logger.info("token %s: last use not noted (%s)", token_id, error)


@contextlib.contextmanager
def without_waiting(connection):
    """Make one connection give up at once on a lock instead of waiting for it."""
    if connection.dialect.name != "sqlite":
        connection.exec_driver_sql("SET LOCAL lock_timeout = '100ms'")  # until its commit
        yield
        return
    driver = connection.connection.driver_connection
    driver.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:  # the connection goes back to the pool: it waits as usual for the next user
        driver.execute(f"PRAGMA busy_timeout = {int(current_app.config['SQLITE_BUSY_TIMEOUT_MS'])}")

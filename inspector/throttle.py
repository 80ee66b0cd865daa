"""Throttle password and token guessing, per account and per client address.

Failures are rows in the database, so every worker and server sees the same counts. The limits
are chosen so that guessing is slow while a real user is not locked out for long:

- one account from one address: 5 failures in 15 minutes, then that pair waits;
- one account from anywhere: 50 failures in 15 minutes (a spread-out attack), then it waits;
- one address, any accounts or tokens: 30 failures in 15 minutes, then it waits.

A block lifts by itself once the oldest counted failure is 15 minutes old; a successful sign-in
clears the failures of that account and address. The client address is `request.remote_addr`,
which is the proxy's own address unless TRUSTED_PROXIES says how many proxies to believe
(werkzeug's ProxyFix; docs/security.md).
"""

import functools
import hashlib
from datetime import UTC, datetime, timedelta

from flask import current_app, request
from sqlalchemy import bindparam, delete, func, select

from inspector import accounts
from inspector.database import own_write_transaction
from inspector.extensions import db
from inspector.models import ThrottleEvent
from inspector.models._columns import UTCDateTime

WINDOW = timedelta(minutes=15)
LIMITS = {"login-pair": 5, "login-user": 50, "address": 30}


def digest(*parts) -> str:
    """Usernames and addresses are stored hashed (keyed by the app's secret)."""
    text = "\x1f".join([current_app.config["SECRET_KEY"], *[str(p).lower() for p in parts]])
    return hashlib.sha256(text.encode()).hexdigest()


def client_address() -> str:
    return request.remote_addr or "unknown"


def login_keys(username):
    address = client_address()
    return {
        "login-pair": digest(username, address),
        "login-user": digest(username),
        "address": digest(address),
    }


def wait_seconds(keys) -> int:
    """Seconds until every scope in `keys` is under its limit again; 0 when none is over."""
    since = datetime.now(UTC) - WINDOW
    wait = 0
    for scope, key in keys.items():
        times = db.session.scalars(
            select(ThrottleEvent.at)
            .where(ThrottleEvent.scope == scope, ThrottleEvent.key == key, ThrottleEvent.at > since)
            .order_by(ThrottleEvent.at.desc())
            .limit(LIMITS[scope])
        ).all()
        if len(times) >= LIMITS[scope]:
            oldest = times[-1].replace(tzinfo=UTC) if times[-1].tzinfo is None else times[-1]
            wait = max(wait, int((oldest + WINDOW - datetime.now(UTC)).total_seconds()) + 1)
    return wait


@own_write_transaction()  # waits its turn, even in a GET: never "database is locked"
def record_failure(keys):
    """Count one failure under each key, in its own commit (the request itself fails)."""
    now = datetime.now(UTC)
    db.session.execute(
        delete(ThrottleEvent).where(
            ThrottleEvent.key.in_(keys.values()), ThrottleEvent.at <= now - WINDOW
        )
    )
    db.session.add_all(ThrottleEvent(scope=s, key=k, at=now) for s, k in keys.items())
    db.session.commit()


def clear(keys, scopes=("login-pair",)):
    """After a success: forget the failures of that account from that address."""
    db.session.execute(
        delete(ThrottleEvent).where(
            ThrottleEvent.scope.in_(scopes),
            ThrottleEvent.key.in_([keys[s] for s in scopes]),
        )
    )


def token_keys():
    return {"address": digest(client_address())}


class ThrottledError(Exception):
    """Too many failures from this address: wait `seconds` before trying again."""

    def __init__(self, seconds):
        super().__init__(f"wait {seconds} s")
        self.seconds = seconds


def user_for_token(token):
    """The active user a bearer token belongs to, or None (a counted failure).

    Raises ThrottledError while this address is over its limit: then not even a right token is
    looked at. Every way in with a token (the API, photos by URL) goes through here.
    """
    keys = token_keys()
    # One query on the usual path: the token's user and this address's recent failures.
    found = db.session.execute(
        token_query(),
        {
            "token_hash": accounts.hash_token(token),
            "address": keys["address"],
            "since": datetime.now(UTC) - WINDOW,
        },
    ).first()
    if found is None or found[1] >= LIMITS["address"]:
        wait = wait_seconds(keys)
        if wait:
            raise ThrottledError(wait)
    if found is None:
        record_failure(keys)
        return None
    return found[0]


@functools.cache
def token_query():
    """The token's user (accounts.token_user_query) with the address's recent failures."""
    failures = (
        select(func.count(ThrottleEvent.id))
        .where(
            ThrottleEvent.scope == "address",
            ThrottleEvent.key == bindparam("address"),
            ThrottleEvent.at > bindparam("since", type_=UTCDateTime()),
        )
        .scalar_subquery()
    )
    return accounts.token_user_query().add_columns(failures)

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

import hashlib
from datetime import UTC, datetime, timedelta

from flask import current_app, request
from sqlalchemy import delete, select

from inspector.extensions import db
from inspector.models import ThrottleEvent

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

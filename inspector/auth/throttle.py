"""Slow password and token guessing down without handing anyone a way to lock users out.

Failures are rows in the database, so every worker and server sees the same counts. The policy
(docs/security.md says it in full):

- sign-in, per account: the first 5 failures in 24 hours cost nothing; then each failure makes
  the account's next try wait 15 s, doubling to at most 5 minutes. While the wait runs, sign-in
  answers 429 with Retry-After and does not look at the password.
- sign-in, per client address over all accounts: the same after 30 failures in an hour.
- a browser that signed in to the account before (a device cookie, inspector/auth/devices.py)
  skips both waits; its failures count only against itself, and after 10 in 24 hours it is
  treated like any other browser.
- tokens: a valid token is always accepted. Wrong ones count per address; after 30 in
  15 minutes more wrong ones answer 429 instead of 401, and are no longer stored.

The client address is `request.remote_addr`, which is the proxy's own address unless
TRUSTED_PROXIES says how many proxies to believe (werkzeug's ProxyFix).
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app, request
from sqlalchemy import delete, func, select

from inspector.auth import tokens
from inspector.database import own_write_transaction
from inspector.extensions import db
from inspector.models import ThrottleEvent
from inspector.models.accounts import normalize_username


@dataclass(frozen=True)
class Rule:
    """How failures under one scope slow the next try."""

    free: int  # failures in `window` that cost nothing
    window: timedelta  # older failures are forgotten
    first_wait: int = 15  # seconds, after the first failure beyond `free`; then doubling
    longest_wait: int = 300  # never more than this: a wait, not a lock-out
    growing: bool = True  # False: refuse until the oldest counted failure leaves the window


RULES = {
    "account": Rule(free=5, window=timedelta(hours=24)),
    "address": Rule(free=30, window=timedelta(hours=1)),
    "device": Rule(free=10, window=timedelta(hours=24), growing=False),
    "token": Rule(free=30, window=timedelta(minutes=15), growing=False),
}


def digest(*parts) -> str:
    """Usernames and addresses are stored hashed (keyed by the app's secret)."""
    text = "\x1f".join([current_app.config["SECRET_KEY"], *[str(p) for p in parts]])
    return hashlib.sha256(text.encode()).hexdigest()


def client_address() -> str:
    return request.remote_addr or "unknown"


def login_keys(username, device_nonce=None):
    """The counters a sign-in attempt is judged by and its failure is counted under."""
    if device_nonce:
        keys = {"device": digest("device", device_nonce)}
        if not wait_seconds(keys):
            return keys
    return {
        "account": digest("account", normalize_username(username)),
        "address": digest("address", client_address()),
    }


def token_keys():
    return {"token": digest("address", client_address())}


def wait_seconds(keys) -> int:
    """Seconds until every counter in `keys` lets a try through; 0 when all do."""
    now = datetime.now(UTC)
    return max((counter_wait(scope, key, now) for scope, key in keys.items()), default=0)


def counter_wait(scope, key, now) -> int:
    """Seconds still to wait under one counter."""
    rule = RULES[scope]
    where = (ThrottleEvent.scope == scope, ThrottleEvent.key == key)
    recent = ThrottleEvent.at > now - rule.window
    if rule.growing:
        count, last = db.session.execute(
            select(func.count(), func.max(ThrottleEvent.at)).where(*where, recent)
        ).one()
        if count < rule.free:
            return 0
        delay = min(rule.first_wait * 2 ** (count - rule.free), rule.longest_wait)
        until = aware(last) + timedelta(seconds=delay)
    else:
        # Refused until the free-th newest failure leaves the window.
        times = db.session.scalars(
            select(ThrottleEvent.at)
            .where(*where, recent)
            .order_by(ThrottleEvent.at.desc())
            .limit(rule.free)
        ).all()
        if len(times) < rule.free:
            return 0
        until = aware(times[-1]) + rule.window
    seconds = (until - now).total_seconds()
    return math.ceil(seconds) if seconds > 0 else 0


def aware(moment):
    # SQLite hands datetimes back without their zone.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@own_write_transaction()  # waits its turn, even in a GET: never "database is locked"
def record_failure(keys):
    """Count one failure under each key, in its own commit (the request itself fails)."""
    now = datetime.now(UTC)
    for scope, key in keys.items():
        db.session.execute(
            delete(ThrottleEvent).where(
                ThrottleEvent.scope == scope,
                ThrottleEvent.key == key,
                ThrottleEvent.at <= now - RULES[scope].window,
            )
        )
    db.session.add_all(ThrottleEvent(scope=s, key=k, at=now) for s, k in keys.items())
    db.session.commit()


def clear(keys):
    """After a success from a known device: forget that device's failures."""
    if "device" in keys:
        db.session.execute(
            delete(ThrottleEvent).where(
                ThrottleEvent.scope == "device", ThrottleEvent.key == keys["device"]
            )
        )


class ThrottledError(Exception):
    """Too many failures: wait `seconds` before trying again."""

    def __init__(self, seconds):
        super().__init__(f"wait {seconds} s")
        self.seconds = seconds


def caller_for_token(token):
    """The active user a bearer token belongs to, as a `Caller`, or None (a counted failure).

    The token is looked at first: a valid one is never refused because of other clients'
    failures from the same address. A wrong one from an address over its limit raises
    ThrottledError. Every way in with a token (the API, photos by URL) goes through here.
    """
    caller = tokens.caller_for_token(token)
    if caller is not None:
        return caller
    keys = token_keys()
    wait = wait_seconds(keys)
    if wait:
        raise ThrottledError(wait)  # not stored: an attacker cannot make the table grow
    record_failure(keys)
    return None

"""Device cookies (OWASP): a browser where a user signed in before stays trusted for them.

After a successful sign-in the browser gets a signed cookie naming the account and a random
nonce. Signing in to that account from that browser skips the waits an attack from elsewhere
causes (inspector/auth/throttle.py); only the nonce's own failures count against it.
"""

import secrets

from flask import current_app, request
from itsdangerous import BadData, URLSafeTimedSerializer

from inspector.models.accounts import normalize_username

MAX_AGE = 180 * 24 * 3600  # seconds: a device unused for half a year is a stranger again
KEEP = 5  # accounts remembered per device: a phone shared by a team


def cookie_name():
    # Over HTTPS the __Host- prefix makes the browser refuse it from any other origin.
    return "__Host-device" if current_app.config["HTTPS"] else "device"


def serializer():
    return URLSafeTimedSerializer(current_app.secret_key, salt="inspector-device")


def remembered() -> dict:
    """The accounts this browser signed in to: {username key: nonce}; {} when none or forged."""
    raw = request.cookies.get(cookie_name())
    if not raw:
        return {}
    try:
        entries = serializer().loads(raw, max_age=MAX_AGE)
    except BadData:
        return {}
    if not isinstance(entries, dict):
        return {}
    return {k: v for k, v in entries.items() if isinstance(k, str) and isinstance(v, str)}


def nonce_for(username):
    """This browser's nonce for the account, if it signed in to it before."""
    return remembered().get(normalize_username(username))


def remember(response, user):
    """Give the browser a fresh nonce for `user`, keeping the last few other accounts."""
    entries = remembered()
    entries.pop(user.username_key, None)
    entries[user.username_key] = secrets.token_urlsafe(16)
    kept = dict(list(entries.items())[-KEEP:])
    response.set_cookie(
        cookie_name(),
        serializer().dumps(kept),
        max_age=MAX_AGE,
        path="/",
        secure=current_app.config["HTTPS"],
        httponly=True,
        samesite="Strict",
    )
    return response

"""Web sessions: started fresh at sign-in, ended after idle and absolute time limits.

The session cookie is signed and holds the user's id with their current session key, so
logging out, a password change or deactivation (which all change the key) end every session of
that user at once, copied cookies included (inspector/auth/__init__.py: load_user).
"""

import hashlib
import time

from flask import current_app, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import current_user, logout_user

AUTH_AT, SEEN_AT = "auth_at", "seen_at"
TIMED_OUT = "timed_out"  # kept after a session ends on time, until a page says so
TOUCH_EVERY = 60  # seconds: the idle clock moves at most this often (fewer new cookies)


def start_session():
    """Call right after login_user: the clocks start now."""
    now = int(time.time())
    session[AUTH_AT] = session[SEEN_AT] = now


def expired(now) -> bool:
    settings = current_app.config
    auth_at, seen_at = session.get(AUTH_AT), session.get(SEEN_AT)
    if not isinstance(auth_at, int) or not isinstance(seen_at, int):
        return True  # a session from before these limits, or tampered with: sign in again
    return (
        now - seen_at > settings["SESSION_IDLE_MINUTES"] * 60
        or now - auth_at > settings["SESSION_MAX_HOURS"] * 3600
    )


def check_session_age():
    """Before each request: end a signed-in session that is too old or idle too long."""
    if request.endpoint == "static" or "_user_id" not in session:
        return
    now = int(time.time())
    if expired(now):
        end_session(timed_out=True)
        return
    if now - session[SEEN_AT] >= TOUCH_EVERY:
        session[SEEN_AT] = now


def end_session(*, timed_out=False):
    """Sign this browser out, keeping nothing of the session but the language it spoke.

    A session that ran out of time is only marked so: the request that finds it may be a
    script fetching data in the background, in no language of the user's; the next page the
    person sees says why they must sign in again (sign_in_message), in their language.
    """
    locale = session.get("locale")
    logout_user()
    session.clear()
    if locale:
        session["locale"] = locale
    if timed_out:
        session[TIMED_OUT] = True


def sign_in_message() -> str:
    """Why the sign-in page is shown: a session that ran out of time, else a page that needs it."""
    if session.pop(TIMED_OUT, False):
        return _("Your session has ended. Please sign in again.")
    return _("Please sign in to continue.")


def session_marker() -> str:
    """A name for this sign-in, "" when signed out: every page carries it (base.html).

    It changes whenever the session does (a sign-in, a timeout, another user), so the phone can
    forget the field app's data of a session that ended however it ended (sw-register.js).
    """
    if not current_user.is_authenticated:
        return ""
    return hashlib.sha256(f"{current_user.id}:{session.get(AUTH_AT)}".encode()).hexdigest()[:16]


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signer made once per key, not per request."""

    def get_signing_serializer(self, app):
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        cached = app.extensions.get("inspector.session_signer")
        if cached is None or cached[0] != key:
            cached = (key, super().get_signing_serializer(app))
            app.extensions["inspector.session_signer"] = cached
        return cached[1]


def init_app(app):
    app.session_interface = SessionInterface()
    app.before_request(check_session_age)
    app.jinja_env.globals["session_marker"] = session_marker

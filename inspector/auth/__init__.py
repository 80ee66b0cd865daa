"""Signing in and out, and who the current user is."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("auth", __name__)


def load_user(user_id):
    """Return the user a login cookie names, if its session key is still current."""
    from inspector.extensions import db
    from inspector.models import User

    ident, _, session_key = (user_id or "").partition(":")
    if not ident.isdigit():
        return None
    user = db.session.get(User, int(ident))
    if user is None or user.session_key != session_key or not user.active:
        return None
    return user


def init_login(app, login_manager):
    from inspector.auth import sessions

    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to continue.")
    login_manager.login_message_category = "info"
    # Sessions end at logout; "remember me" cookies are not used.
    login_manager.session_protection = "basic"
    sessions.init_app(app)


from inspector.auth import views  # noqa: E402,F401  (views attach to bp)

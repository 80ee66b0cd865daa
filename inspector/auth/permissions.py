"""Role checks for web views, and the records a user may manage, in one place."""

import functools

from flask import abort
from flask_login import current_user, login_required

from inspector.extensions import db
from inspector.models import ApiToken, Role


def role_required(*roles):
    """Let only signed-in users with one of `roles` through; others get 403."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def get_token_or_404(token_id):
    """An API token the current user may manage: their own, or anyone's for an admin."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.revoked_at is not None:
        abort(404)
    if token.user_id != current_user.id and current_user.role != Role.ADMIN:
        abort(404)  # others' tokens are not revealed
    return token

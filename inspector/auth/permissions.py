"""Role checks for web views, in one place."""

import functools

from flask import abort
from flask_login import current_user, login_required


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

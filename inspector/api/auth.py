"""Bearer-token authentication and role checks for the API."""

import functools

from flask import abort, g, request

from inspector import accounts
from inspector.api import bp

PUBLIC_ENDPOINTS = {"api.openapi"}


@bp.before_request
def authenticate():
    """Resolve the bearer token to a user, or answer 401."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    user = accounts.user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        abort(401, "A valid bearer token is required.")
    g.api_user = user


def roles(*allowed):
    """Let only API users with one of `allowed` roles through; others get 403."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if g.api_user.role not in allowed:
                abort(403, "Your role may not do this.")
            return view(*args, **kwargs)

        return wrapped

    return decorator

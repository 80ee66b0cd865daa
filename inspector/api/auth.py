"""API authentication (bearer tokens, or the web session plus a CSRF header) and role checks."""

import functools

from flask import abort, g, request
from flask_login import current_user
from flask_wtf.csrf import validate_csrf

from inspector.api import bp
from inspector.auth import throttle
from inspector.database import SAFE_METHODS, read_only_part
from inspector.errors import json_error

PUBLIC_ENDPOINTS = {"api.openapi"}


@bp.before_request
def authenticate():
    """Resolve the bearer token to its caller, or answer 401."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    if "Authorization" not in request.headers and current_user.is_authenticated:
        return session_user()
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        abort(401, "A valid bearer token is required.")
    try:
        # Its own read: a write request takes the write lock later, for its writes alone.
        with read_only_part():
            caller = throttle.caller_for_token(token.strip())
    except throttle.ThrottledError as blocked:
        response = json_error(429, "Too many failed attempts from this address; wait and retry.")
        response[0].headers["Retry-After"] = str(blocked.seconds)
        return response
    if caller is None:
        abort(401, "A valid bearer token is required.")
    g.api_caller = caller  # g.api_user, the account's entity, is made from it when first used
    return None


def session_user():
    """The signed-in web user, for the phone app's own pages (/field/).

    A cookie is sent with any request to this site, so a state-changing call must also carry
    the session's CSRF token in X-CSRFToken, which another site cannot read.
    """
    if request.method not in SAFE_METHODS:
        try:
            validate_csrf(request.headers.get("X-CSRFToken"))
        except ValueError as error:  # wtforms.ValidationError: missing, expired, wrong
            # `csrf` tells the phone app to fetch a fresh token and send again.
            return json_error(403, str(error.args[0] if error.args else error), code="csrf")
    g.api_user = current_user._get_current_object()
    return None


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

"""Links the app hands out: relative to this site, or on BASE_URL when it is set.

Never built from the request's Host header: the client chooses it, so an absolute URL made
from it could send the next request (and its bearer token) to someone else's server.
"""

from urllib.parse import urljoin, urlsplit, urlunsplit

from flask import current_app, request, url_for


def on_base(path):
    """`path` (starting with /) on BASE_URL when it is set, else as it is."""
    base = current_app.config.get("BASE_URL")
    return urljoin(base, path) if base else path


def public_url(endpoint, **values):
    """The URL of `endpoint`, safe to hand to clients."""
    return on_base(url_for(endpoint, **values))


def safe_location(response):
    """After each request: a redirect to this site made absolute from the Host header (werkzeug's
    slash redirects) points at the path instead."""
    location = response.headers.get("Location")
    if location:
        parts = urlsplit(location)
        if parts.netloc and parts.netloc == request.host:
            path = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
            response.headers["Location"] = on_base(path)
    return response


def init_app(app):
    """After each request: redirects never on the Host header."""
    app.after_request(safe_location)

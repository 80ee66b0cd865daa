"""Response headers that keep pages and uploads from being abused or kept in the browser."""

from urllib.parse import urlsplit

from flask import g, request, session
from flask_login import current_user

STORED_FOR_NOBODY = {"text/html", "application/json"}


def image_sources(config):
    """Where pages may load images from: here, and the bucket when photos are presigned."""
    sources = ["'self'", "data:", "blob:"]
    if config.get("STORAGE") == "s3" and config.get("S3_DELIVERY") == "presigned":
        endpoint = config.get("S3_ENDPOINT_URL")
        if endpoint:
            parts = urlsplit(endpoint)
            sources.append(f"{parts.scheme}://{parts.netloc}")
        else:
            sources.append("https://*.amazonaws.com")
    return " ".join(sources)


def content_security_policy(config):
    # Everything else comes from our own origin: no inline script or style, no framing.
    return "; ".join(
        [
            "default-src 'self'",
            f"img-src {image_sources(config)}",
            "script-src 'self'",
            "style-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def register(app):
    defaults = [
        ("Content-Security-Policy", content_security_policy(app.config)),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()"),
    ]
    if app.config["HTTPS"]:
        defaults.append(("Strict-Transport-Security", "max-age=31536000"))

    app.after_request(forbid_storing)

    @app.after_request
    def add_security_headers(response):
        # One pass over the response's headers, not one per default: this runs on every request.
        present = {key.lower() for key, _value in response.headers.items()}
        response.headers.extend([(k, v) for k, v in defaults if k.lower() not in present])
        return response


def forbid_storing(response):
    """Signed-in pages and JSON are never kept by the browser or a proxy (a shared phone's
    back button or cache must not show the last user's data); static files and public pages
    keep their caching, photos their own private caching."""
    if request.endpoint == "static" or response.mimetype not in STORED_FOR_NOBODY:
        return response
    signed_in = g.get("api_caller") is not None or (
        "_user_id" in session and current_user.is_authenticated
    )
    if signed_in:
        response.headers["Cache-Control"] = "no-store"
    return response

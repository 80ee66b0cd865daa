"""Request limits and response headers that keep pages and uploads from being abused."""

from urllib.parse import urlsplit

import flask
from flask import current_app

URLENCODED = "application/x-www-form-urlencoded"


class Request(flask.Request):
    """Flask's request, with a urlencoded form held to the limit of a form's text.

    Werkzeug limits each text field of a multipart form to MAX_FORM_MEMORY_SIZE, but reads a
    urlencoded body whole, up to MAX_CONTENT_LENGTH (40 MB, for photos): a form with no file
    could be 40 MB of text. Such a body is all text, so all of it counts against the limit,
    and a larger one is refused (413) by its length, before it is read.
    """

    @property
    def max_content_length(self) -> int | None:
        limit = super().max_content_length
        if self._max_content_length is not None or self.mimetype != URLENCODED or not current_app:
            return limit
        text = current_app.config["MAX_FORM_MEMORY_SIZE"]
        return text if limit is None or text is None else min(limit, text)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value


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
    app.request_class = Request
    defaults = [
        ("Content-Security-Policy", content_security_policy(app.config)),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()"),
    ]
    if app.config["HTTPS"]:
        defaults.append(("Strict-Transport-Security", "max-age=31536000"))

    @app.after_request
    def add_security_headers(response):
        # One pass over the response's headers, not one per default: this runs on every request.
        present = {key.lower() for key, _value in response.headers.items()}
        response.headers.extend([(k, v) for k, v in defaults if k.lower() not in present])
        return response

"""Error pages for people and JSON errors for programs."""

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from inspector.extensions import db

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "throttled",
    500: "server_error",
}


class ValidationError(Exception):
    """Input that breaks a rule; `fields` maps each field to what is wrong with it."""

    def __init__(self, fields, message=None, conflict=False):
        super().__init__(message or "Invalid input.")
        self.fields = fields
        self.message = message or "Invalid input."
        # True when the input is fine but clashes with a stored record (HTTP 409).
        self.conflict = conflict


def wants_json():
    return request.path.startswith("/api/")


def json_error(status, message, code=None, fields=None):
    """Build the contract's JSON error response."""
    body = {"code": code or ERROR_CODES.get(status, "error"), "message": str(message)}
    if fields:
        body["fields"] = {name: str(text) for name, text in fields.items()}
    return jsonify(error=body), status


def handle_http_exception(error):
    if wants_json():
        return json_error(error.code, error.description)
    template = f"errors/{error.code}.html" if error.code in (403, 404) else "errors/generic.html"
    return render_template(template, error=error), error.code


def handle_server_error(error):
    # A failed request must not leave a half-done transaction behind for the next one.
    db.session.rollback()
    if wants_json():
        return json_error(500, "Internal server error.")
    return render_template("errors/generic.html", error=InternalServerError()), 500


def handle_validation_error(error):
    # Web views catch ValidationError to show it on their form; this answers the API.
    db.session.rollback()
    status = 409 if error.conflict else 422
    if wants_json():
        return json_error(status, error.message, fields=error.fields)
    return render_template("errors/generic.html", error=error), status


def register(app):
    app.register_error_handler(ValidationError, handle_validation_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(500, handle_server_error)

"""One family of domain errors, answered as JSON for programs and as pages for people.

Services raise a DomainError (or a subclass) and never build responses; views do not catch
them. The JSON handler answers the contract's error body with the error's status; the web
handler rolls back, shows the message, and goes back to the page the person came from.
"""

import logging
import sqlite3
from urllib.parse import urlsplit

import sqlalchemy.exc
from flask import flash, g, jsonify, redirect, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from inspector.extensions import db
from inspector.limits import MAX_FIELD_ERRORS, shorten, too_long

log = logging.getLogger(__name__)
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
    503: "busy",
}


class DomainError(Exception):
    """A request the rules refuse: its HTTP status, error code, message and faulty fields."""

    status = 400
    code = "bad_request"
    default_message = "The request cannot be carried out."
    retry_after = None  # seconds, sent as Retry-After

    def __init__(self, message=None, fields=None, code=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))
        self.fields = dict(fields or {})
        if code is not None:
            self.code = code


class ValidationError(DomainError):
    """Input that breaks a rule; `fields` maps each field to what is wrong with it."""

    status = 422
    code = "invalid"
    default_message = "Invalid input."

    def __init__(self, fields, message=None, code=None):
        super().__init__(message, fields, code)


def check_lengths(*fields):
    """Raise ValidationError naming each (name, text, limit) whose text is over its limit."""
    faults = {
        name: _l("At most %(n)d characters.", n=limit)
        for name, text, limit in fields
        if too_long(text, limit)
    }
    if faults:
        raise ValidationError(faults)


class ForbiddenError(DomainError):
    """The caller's role or department may not make this change."""

    status = 403
    code = "forbidden"
    default_message = "Your role may not do this."


class ConflictError(DomainError):
    """The input is fine but clashes with the stored state (another version, a closed period)."""

    status = 409
    code = "conflict"
    default_message = "This clashes with what is stored."


class PeriodClosedError(ConflictError):
    """The change would alter a closed score period's numbers."""

    code = "period_closed"
    default_message = "Its score period is closed; an admin must reopen it first."


class UnsupportedMediaError(DomainError):
    status = 415
    code = "unsupported_media_type"
    default_message = "This kind of file is not accepted."


class TooLargeError(DomainError):
    status = 413
    code = "too_large"
    default_message = "This is larger than the server accepts."


class BusyError(DomainError):
    """The server has no room for this work now: send it again after `retry_after` seconds."""

    status = 503
    code = "busy"
    default_message = _l("The server is busy with other photos; send this one again shortly.")
    retry_after = 5


class DatabaseBusyError(BusyError):
    """The database could not take this request in time: no pooled connection came free
    (pool_timeout), or SQLite's write lock stayed taken past its busy timeout."""

    default_message = _l("The server is busy; send this again shortly.")


def wants_json():
    return request.path.startswith("/api/")


def json_error(status, message, code=None, fields=None):
    """Build the contract's JSON error response, naming at most MAX_FIELD_ERRORS fields."""
    message = shorten(message)
    fields = dict(fields or {})
    if len(fields) > MAX_FIELD_ERRORS:
        message += f" ({MAX_FIELD_ERRORS} of {len(fields)} faults shown.)"
    body = {"code": code or ERROR_CODES.get(status, "error"), "message": message}
    if fields:
        shown = list(fields.items())[:MAX_FIELD_ERRORS]
        # Names and messages are cut short: a fault must never echo a huge input back.
        body["fields"] = {shorten(name): shorten(text) for name, text in shown}
    return jsonify(error=body), status


def return_to(url):
    """Where the web handler sends the person back to if this request's change is refused."""
    g.error_return_to = url


def back_url():
    """The page to go back to after a refused change: the view's choice, else a local referrer."""
    chosen = g.get("error_return_to")
    if chosen:
        return chosen
    referrer = request.referrer or ""
    parts = urlsplit(referrer)
    if referrer and parts.netloc in ("", request.host) and parts.scheme in ("", request.scheme):
        return parts._replace(scheme="", netloc="").geturl() or None
    return None


# What a person reads on each error page: a title and what to do. Others get the generic one.
PAGES = {
    403: (
        _l("Not allowed"),
        [_l("Your role does not allow this. Ask an administrator if you need it.")],
    ),
    404: (_l("Not found"), [_l("There is nothing here, or you may not see it.")]),
    413: (
        _l("Too much to send at once"),
        [
            _l(
                "This form was not saved: its text or its photos are larger than the server "
                "accepts in one go."
            ),
            _l(
                "Go back, shorten long notes or attach fewer photos at a time, and send it "
                "again. What you saved before is kept."
            ),
        ],
    ),
}
GENERIC_PAGE = (
    _l("Something went wrong"),
    [_l("The request could not be completed. Nothing you saved before was lost.")],
)


def error_page(status, messages=None, back=None):
    """The error page for `status`, with the request's own messages when there are any."""
    title, lines = PAGES.get(status, GENERIC_PAGE)
    return render_template("errors/page.html", title=title, lines=messages or lines, back=back)


def handle_domain_error(error):
    # Nothing of a refused change may stay in the session for the next request.
    db.session.rollback()
    headers = {"Retry-After": str(error.retry_after)} if error.retry_after else {}
    if wants_json():
        body, status = json_error(error.status, error.message, code=error.code, fields=error.fields)
        return body, status, headers
    # Each distinct fault once: eight unanswered items are one message, not eight.
    messages = list(dict.fromkeys(shorten(m) for m in error.fields.values()))[:MAX_FIELD_ERRORS]
    messages = messages or [shorten(error.message)]
    back = back_url() if request.method not in ("GET", "HEAD") else None
    if back:
        for message in messages:
            flash(message, "error")
        return redirect(back, code=303)
    return error_page(error.status, messages), error.status, headers


def handle_http_exception(error):
    # Keep what the exception says beyond its body: Allow on 405, Retry-After on 429.
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    if wants_json():
        body, status = json_error(error.code, error.description)
        return body, status, headers
    return error_page(error.code, back=back_url()), error.code, headers


def handle_server_error(error):
    # A failed request must not leave a half-done transaction behind for the next one.
    db.session.rollback()
    if wants_json():
        return json_error(500, "Internal server error.")
    return error_page(500), 500


def handle_pool_timeout(error):
    """Every database connection stayed busy past the pool's timeout: the server is overloaded
    for now, so 503 with Retry-After, which phones and scripts send again, never a 500."""
    log.warning("no database connection came free in time: %s", error)
    return handle_domain_error(DatabaseBusyError())


def handle_operational_error(error):
    """SQLite's write lock not free within its busy timeout (many writers at once) is the same
    overload as a pool timeout: 503. Any other operational error is a fault (500)."""
    if not is_lock_timeout(error):
        raise error
    log.warning("the database stayed locked past its busy timeout: %s", error)
    return handle_domain_error(DatabaseBusyError())


def is_lock_timeout(error):
    # BEGIN IMMEDIATE is sent to the driver directly (database.py): its error comes unwrapped.
    cause = getattr(error, "orig", error)
    return isinstance(cause, sqlite3.OperationalError) and "locked" in str(cause)


def register(app):
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(sqlalchemy.exc.TimeoutError, handle_pool_timeout)
    app.register_error_handler(sqlalchemy.exc.OperationalError, handle_operational_error)
    app.register_error_handler(sqlite3.OperationalError, handle_operational_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(500, handle_server_error)

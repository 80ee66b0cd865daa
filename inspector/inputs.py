"""Reading requests within the limits: ids in URLs and query strings, form bodies, JSON.

Every `<int:...>` in a route, every integer in a query string and every JSON body goes
through here, so a number too large for the database or a document too deep for the parser
is a 4xx before it reaches either (inspector.limits holds the numbers).
"""

import json

import flask
from flask import abort, request
from werkzeug.routing import IntegerConverter

from inspector import limits
from inspector.limits import MAX_ID, MAX_JSON_DEPTH, json_fault, parse_int, unstorable
from inspector.periods import FIRST_DAY, LAST_DAY


class RecordIdConverter(IntegerConverter):
    """`<int:...>` in every route: 1..MAX_ID, else the URL matches nothing (404)."""

    def __init__(self, map, fixed_digits=0, min=1, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


class Request(flask.Request):
    """A request whose urlencoded form is held to the limit of a multipart text field.

    Werkzeug applies MAX_FORM_MEMORY_SIZE to each text part of a multipart body only; an
    urlencoded body is read into memory whole, so that limit becomes its maximum length.
    """

    @property
    def max_content_length(self):
        limit = super().max_content_length
        form_limit = self.max_form_memory_size
        if self.mimetype == "application/x-www-form-urlencoded" and form_limit is not None:
            return form_limit if limit is None else min(limit, form_limit)
        return limit


class JsonTooDeepError(ValueError):
    """A JSON document nested deeper than MAX_JSON_DEPTH."""


class UnstorableTextError(ValueError):
    """Text holding U+0000 or a lone surrogate, which no database takes."""


TOO_DEEP = f"The JSON is nested too deeply (at most {MAX_JSON_DEPTH} levels)."
UNSTORABLE = (
    "Text may not contain the NUL character (U+0000) or unpaired surrogates (U+D800 to U+DFFF)."
)


def parse_json(text):
    """Parse JSON (str or bytes) nested at most MAX_JSON_DEPTH levels, of storable text.

    ValueError if it is not JSON; JsonTooDeepError and UnstorableTextError are kinds of it.
    NaN and Infinity are not JSON (RFC 8259), though Python's parser takes them: a NaN passes
    every bound of a JSON Schema (no comparison with it is true) and reached the database as
    points no arithmetic could use. A number too large for a float (1e400) still parses, as
    infinity, for the schemas' bounds to refuse by name.
    """
    try:
        document = json.loads(text, parse_constant=not_a_number)
    except RecursionError:
        raise JsonTooDeepError() from None
    fault = json_fault(document)
    if fault == "depth":
        raise JsonTooDeepError()
    if fault == "text":
        raise UnstorableTextError()
    return document


def not_a_number(name):
    raise ValueError(f"{name} is not a JSON number")


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def refuse_unstorable_text():
    """400 for U+0000 (or a lone surrogate) in the URL or a form, before the database sees it."""
    fields = list((request.view_args or {}).items())
    if request.query_string:  # every request runs this: parse only what is there
        fields.extend(request.args.items(multi=True))
    if request.content_type and request.mimetype in FORM_TYPES:
        fields.extend(request.form.items(multi=True))
    if any(unstorable(name) or unstorable(value) for name, value in fields):
        abort(400, UNSTORABLE)


def int_arg(name, default=None, low=1, high=MAX_ID):
    """The query string's integer `name` from low to high; 400 naming the bounds if not."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return parse_int(raw, low, high)
    except ValueError:
        abort(400, f"'{name}' must be an integer from {low} to {high}.")


def record_id(raw):
    """`raw` (from a form or query string) as a record id; None if it cannot be one."""
    try:
        return parse_int(raw)
    except ValueError:
        return None


def init_app(app):
    """Bound ids in every route and urlencoded bodies; call before routes are registered."""
    app.request_class = Request
    app.url_map.converters["int"] = RecordIdConverter
    app.before_request(refuse_unstorable_text)
    # Forms show the same limits as maxlength and min/max attributes.
    app.jinja_env.globals["limits"] = {
        **{name: value for name, value in vars(limits).items() if name.isupper()},
        "FIRST_DAY": FIRST_DAY.isoformat(),
        "LAST_DAY": LAST_DAY.isoformat(),
    }

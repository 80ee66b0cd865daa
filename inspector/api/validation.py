"""Parse JSON request bodies and check them against the API's JSON Schemas."""

import json

from flask import abort, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from inspector.api.schemas import UUID
from inspector.errors import ValidationError
from inspector.inputs import (
    TOO_DEEP,
    UNSTORABLE,
    JsonTooDeepError,
    UnstorableTextError,
    parse_json,
)
from inspector.limits import shorten

# What each JSON Schema keyword asks for, said without the value sent: jsonschema's own
# messages quote the instance, and a fault must never echo a 30 MB text back. In the
# request's language, as every other fault: the field app lists them under a refusal.
RULES = {
    "required": _l("This field is required."),
    "additionalProperties": _l("Unknown field."),
    "maxLength": _l("At most %(n)s characters."),
    "minLength": _l("At least %(n)s characters."),
    "maxItems": _l("At most %(n)s items."),
    "minItems": _l("At least %(n)s items."),
    "maximum": _l("At most %(n)s."),
    "minimum": _l("At least %(n)s."),
    "exclusiveMinimum": _l("More than %(n)s."),
    "exclusiveMaximum": _l("Less than %(n)s."),
    "pattern": _l("Must match %(n)s."),
    "format": _l("Must be a %(n)s."),
    "uniqueItems": _l("Items must differ."),
}
# Patterns said in words, not as the regular expression (schemas.py's codes and UUIDs).
CODE_START = "^[A-Za-z0-9][A-Za-z0-9_.-]"
PATTERNS = {UUID["pattern"]: _l("Must be a UUID.")}


def field_name(error):
    """Name the field a JSON Schema error is about, as a dotted path."""
    path = ".".join(str(part) for part in error.absolute_path)
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return f"{path}.{missing}" if path else missing
    if error.validator == "additionalProperties":
        extra = [name for name in error.instance if name not in error.schema.get("properties", {})]
        unknown = ", ".join(sorted(extra))
        return f"{path}.{unknown}" if path else unknown
    return path or "body"


def describe(error):
    """Say what is wrong with a field, without repeating what was sent."""
    rule, wanted = error.validator, error.validator_value
    if rule in ("anyOf", "oneOf") and error.context:
        # The alternative that failed on more than the value's type is the one meant.
        specific = [e for e in error.context if e.validator != "type"]
        if specific:
            return describe(best_match(specific))
        rule, wanted = "type", [kind for e in error.context for kind in as_list(e.validator_value)]
    if rule == "type":
        return _("Must be of type %(types)s.", types=_(" or ").join(dict.fromkeys(as_list(wanted))))
    if rule == "enum":
        choices = ", ".join(json.dumps(value, ensure_ascii=False) for value in wanted)
        return _("Must be one of %(choices)s.", choices=choices)
    return in_words(rule, wanted) or shorten(error.message)


def in_words(rule, wanted):
    """A JSON Schema keyword's rule as people say it (never its regular expression), or None."""
    if (rule, wanted) in (("minLength", 1), ("pattern", r"\S")):
        return _("Must not be blank.")
    if rule == "pattern" and wanted in PATTERNS:
        return str(PATTERNS[wanted])
    if rule == "pattern" and str(wanted).startswith(CODE_START):
        return _("Letters, digits, '-', '_' or '.', beginning with a letter or digit.")
    if rule in RULES:
        return RULES[rule] % {"n": wanted}
    return None


def as_list(value):
    return value if isinstance(value, list) else [value]


def json_object():
    """Return the request's body as a JSON object; 415 or 400 if it is not one."""
    if not request.is_json:
        abort(415, "Send the body as application/json.")
    try:
        body = parse_json(request.get_data(cache=True))
    except JsonTooDeepError:
        abort(400, TOO_DEEP)
    except UnstorableTextError:
        abort(400, UNSTORABLE)
    except ValueError:
        abort(400, "The body is not valid JSON.")
    if not isinstance(body, dict):
        abort(400, "The body must be a JSON object.")
    return body


def json_body(schema):
    """Return the request's JSON object if it fits `schema`; 400 or 422 if not."""
    body = json_object()
    errors = sorted(Draft202012Validator(schema).iter_errors(body), key=lambda e: e.path)
    if errors:
        fields = {}
        for error in errors:
            fields.setdefault(field_name(error), describe(error))
        raise ValidationError(fields, "The request has invalid fields.")
    return body

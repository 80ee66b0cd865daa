"""Parse JSON request bodies and check them against the API's JSON Schemas."""

import json

from flask import abort, request
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

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
# messages quote the instance, and a fault must never echo a 30 MB text back.
RULES = {
    "required": "This field is required.",
    "additionalProperties": "Unknown field.",
    "maxLength": "At most {} characters.",
    "minLength": "At least {} characters.",
    "maxItems": "At most {} items.",
    "minItems": "At least {} items.",
    "maximum": "At most {}.",
    "minimum": "At least {}.",
    "exclusiveMinimum": "More than {}.",
    "exclusiveMaximum": "Less than {}.",
    "pattern": "Must match {}.",
    "format": "Must be a {}.",
    "uniqueItems": "Items must differ.",
}


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
        return f"Must be of type {' or '.join(dict.fromkeys(as_list(wanted)))}."
    if rule == "enum":
        choices = ", ".join(json.dumps(value, ensure_ascii=False) for value in wanted)
        return f"Must be one of {choices}."
    if rule in RULES:
        return RULES[rule].format(wanted)
    return shorten(error.message)


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

"""Parse JSON request bodies and check them against the API's JSON Schemas."""

from flask import abort, request
from jsonschema import Draft202012Validator

from inspector.errors import ValidationError
from inspector.inputs import TOO_DEEP, JsonTooDeepError, parse_json


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
    if error.validator == "required":
        return "This field is required."
    if error.validator == "additionalProperties":
        return "Unknown field."
    return error.message


def json_object():
    """Return the request's body as a JSON object; 415 or 400 if it is not one."""
    if not request.is_json:
        abort(415, "Send the body as application/json.")
    try:
        body = parse_json(request.get_data(cache=True))
    except JsonTooDeepError:
        abort(400, TOO_DEEP)
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

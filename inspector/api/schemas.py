"""JSON Schemas of the API's bodies: used to validate requests and in openapi.json."""

CODE = {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$"}
NAME = {"type": "string", "minLength": 1, "maxLength": 100}

DEPARTMENT_IN = {
    "type": "object",
    "properties": {"code": CODE, "name": NAME, "active": {"type": "boolean"}},
    "required": ["code", "name"],
    "additionalProperties": False,
}

SITE_IN = {
    "type": "object",
    "properties": {
        "code": CODE,
        "name": NAME,
        "kind": {"enum": ["office", "residential", "public"]},
        "department": {"type": "string"},
        "address": {"type": "string", "maxLength": 200},
        "expected_per_week": {"type": "integer", "minimum": 0, "maximum": 50},
        "active": {"type": "boolean"},
    },
    "required": ["code", "name", "kind", "department"],
    "additionalProperties": False,
}

ME_OUT = {
    "type": "object",
    "properties": {
        "username": {"type": "string"},
        "role": {"enum": ["admin", "supervisor", "inspector", "lead"]},
        "department": {"type": ["string", "null"]},
    },
}

DEPARTMENT_OUT = {
    "type": "object",
    "properties": {"code": CODE, "name": NAME, "active": {"type": "boolean"}},
}

SITE_OUT = {
    "type": "object",
    "properties": {**SITE_IN["properties"]},
}

ERROR_OUT = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            },
            "required": ["code", "message"],
        }
    },
}

UUID = {
    "type": "string",
    "pattern": "^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$",
}
TIMESTAMP = {"type": "string", "format": "date-time", "maxLength": 40}
LOCATION = {
    "type": "object",
    "properties": {
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "lon": {"type": "number", "minimum": -180, "maximum": 180},
    },
    "required": ["lat", "lon"],
    "additionalProperties": False,
}

INSPECTION_IN = {
    "type": "object",
    "properties": {
        "template": {"type": "integer"},
        "site": {"type": "string", "maxLength": 32},
        "started_at": TIMESTAMP,
        "submitted_at": {"anyOf": [TIMESTAMP, {"type": "null"}]},
        "location": {"anyOf": [LOCATION, {"type": "null"}]},
        "responses": {
            "type": "array",
            "maxItems": 500,
            "items": {
                "type": "object",
                "properties": {
                    "item": {"type": "string", "maxLength": 64},
                    "answer": {},
                    "note": {"type": "string", "maxLength": 2000},
                    "photos": {"type": "array", "items": UUID, "maxItems": 20},
                },
                "required": ["item", "answer"],
                "additionalProperties": False,
            },
        },
        "submit": {"type": "boolean"},
    },
    "required": ["template", "site", "started_at", "responses", "submit"],
    "additionalProperties": False,
}

REVIEW_IN = {
    "type": "object",
    "properties": {
        "decision": {"enum": ["approve", "return"]},
        "comment": {"type": "string", "maxLength": 2000},
    },
    "required": ["decision"],
    "additionalProperties": False,
}

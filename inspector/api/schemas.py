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

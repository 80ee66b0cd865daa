"""JSON Schemas of the API's bodies: used to validate requests and in openapi.json."""

from inspector.limits import (
    ADDRESS_LENGTH,
    CODE_LENGTH,
    ITEM_TEXT_LENGTH,
    KEY_LENGTH,
    MAX_CHECKLIST_ITEMS,
    MAX_COUNT,
    MAX_ID,
    NAME_LENGTH,
    TEXT_LENGTH,
    TITLE_LENGTH,
)

# A record id: what the database can hold (a larger one could name no record).
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}

CODE = {
    "type": "string",
    "pattern": rf"^[A-Za-z0-9][A-Za-z0-9_.-]{{0,{CODE_LENGTH - 1}}}$",
    "maxLength": CODE_LENGTH,
}
CODE_REF = {"type": "string", "maxLength": CODE_LENGTH}  # names a department or site
NAME = {"type": "string", "minLength": 1, "maxLength": NAME_LENGTH}
TEXT = {"type": "string", "maxLength": TEXT_LENGTH}  # notes, comments, descriptions
KEY = {
    "type": "string",
    "pattern": rf"^[A-Za-z0-9][A-Za-z0-9_.-]{{0,{KEY_LENGTH - 1}}}$",
    "maxLength": KEY_LENGTH,
}
COUNT = {"type": "integer", "minimum": 0, "maximum": MAX_COUNT}
ANSWER = {
    "description": 'check: "pass", "fail" or "na"; scale: an integer from 0 to the item\'s '
    'points, or "na"; deduct: {"count": n} or "na"; text: any text. The checklist decides '
    "which; a wrong kind is a 422 naming the item.",
    "anyOf": [
        {"type": "string", "maxLength": TEXT_LENGTH},
        COUNT,
        {
            "type": "object",
            "properties": {"count": COUNT},
            "required": ["count"],
            "additionalProperties": False,
        },
    ],
}

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
        "department": CODE_REF,
        "address": {"type": "string", "maxLength": ADDRESS_LENGTH},
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
        "template": ID,
        "site": CODE_REF,
        "started_at": TIMESTAMP,
        "submitted_at": {"anyOf": [TIMESTAMP, {"type": "null"}]},
        "location": {"anyOf": [LOCATION, {"type": "null"}]},
        "responses": {
            "type": "array",
            "maxItems": 500,
            "items": {
                "type": "object",
                "properties": {
                    "item": {"type": "string", "maxLength": KEY_LENGTH},
                    "answer": ANSWER,
                    "note": TEXT,
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
        "comment": TEXT,
    },
    "required": ["decision"],
    "additionalProperties": False,
}

# The checklist format, for the OpenAPI document; inspector.checklists.format checks it.
CHECKLIST_ITEM = {
    "type": "object",
    "properties": {
        "key": KEY,
        "text": {"type": "string", "minLength": 1, "maxLength": ITEM_TEXT_LENGTH},
        "type": {"enum": ["check", "scale", "deduct", "text"]},
        "points": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000},
        "per": {"type": "number", "exclusiveMinimum": 0},
        "critical": {"type": "boolean"},
        "photo_on_fail": {"type": "boolean"},
        "guidance": TEXT,
    },
    "required": ["key", "text", "type"],
    "additionalProperties": False,
}
CHECKLIST_IN = {
    "type": "object",
    "properties": {
        "code": KEY,
        "name": {"type": "string", "minLength": 1, "maxLength": TITLE_LENGTH},
        "description": TEXT,
        "sections": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "title": {"type": "string", "minLength": 1, "maxLength": TITLE_LENGTH},
                    "items": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": MAX_CHECKLIST_ITEMS,
                        "items": CHECKLIST_ITEM,
                    },
                },
                "required": ["title", "items"],
            },
        },
    },
    "required": ["code", "name", "sections"],
    "additionalProperties": False,
}
TEMPLATE_OUT = {
    "allOf": [
        CHECKLIST_IN,
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "version": {"type": "integer"},
                "current": {"type": "boolean"},
                "created_at": TIMESTAMP,
            },
        },
    ]
}
PHOTO_IN = {
    "type": "object",
    "properties": {
        "file": {"type": "string", "format": "binary"},
        "taken_at": TIMESTAMP,
        "lat": {"type": "number"},
        "lon": {"type": "number"},
    },
    "required": ["file"],
}
PHOTO_OUT = {
    "type": "object",
    "properties": {
        "id": UUID,
        "sha256": {"type": "string"},
        "width": {"type": "integer"},
        "height": {"type": "integer"},
        "taken_at": {"type": ["string", "null"]},
        "lat": {"type": ["number", "null"]},
        "lon": {"type": ["number", "null"]},
        "url": {"type": "string", "format": "uri"},
        "thumb_url": {"type": "string", "format": "uri"},
    },
}
SCORE = {
    "type": "object",
    "properties": {
        "earned": {"type": "number"},
        "possible": {"type": "number"},
        "percent": {"type": ["number", "null"]},
    },
}
INSPECTION_OUT = {
    "type": "object",
    "properties": {
        "id": UUID,
        "status": {"enum": ["draft", "submitted", "returned", "approved"]},
        "site": {"type": "string"},
        "department": {"type": "string"},
        "template": {"type": "integer"},
        "template_code": {"type": "string"},
        "template_version": {"type": "integer"},
        "inspector": {"type": "string"},
        "started_at": TIMESTAMP,
        "submitted_at": {"type": ["string", "null"]},
        "location": {"anyOf": [LOCATION, {"type": "null"}]},
        "score": SCORE,
        "critical_failed": {"type": "boolean"},
        "responses": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "item": {"type": "string"},
                    "answer": {},
                    "note": {"type": "string"},
                    "photos": {"type": "array", "items": UUID},
                    "earned": {"type": ["number", "null"]},
                    "possible": {"type": ["number", "null"]},
                    "failed": {"type": "boolean"},
                },
            },
        },
        "review": {"type": ["object", "null"]},
        "updated_at": TIMESTAMP,
    },
}

SCORE_SHEET = {
    "type": "object",
    "properties": {
        "from": {"type": "string", "format": "date"},
        "to": {"type": "string", "format": "date"},
        "closed": {"type": "boolean", "description": "true when the period is closed (frozen)"},
        "departments": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "department": {"type": "string"},
                    "name": {"type": "string"},
                    "inspections": {"type": "integer"},
                    "pending": {"type": "integer"},
                    "percent": {"type": ["number", "null"]},
                    "grade": {"enum": ["excellent", "good", "pass", "fail", None]},
                    "rank": {"type": ["integer", "null"]},
                    "critical_failures": {"type": "integer"},
                    "vetoed": {"type": "boolean"},
                },
            },
        },
    },
}

FINDING_IN = {
    "type": "object",
    "properties": {
        "site": CODE_REF,
        "title": {"type": "string", "minLength": 1, "maxLength": TITLE_LENGTH},
        "description": TEXT,
        "due": {"type": ["string", "null"], "format": "date"},
        "before_photos": {"type": "array", "items": UUID, "maxItems": 20},
    },
    "required": ["site", "title"],
    "additionalProperties": False,
}
FIX_IN = {
    "type": "object",
    "properties": {
        "after_photos": {"type": "array", "items": UUID, "maxItems": 20},
        "note": TEXT,
    },
    "required": ["after_photos"],
    "additionalProperties": False,
}
VERIFY_IN = {
    "type": "object",
    "properties": {
        "decision": {"enum": ["accept", "reject"]},
        "comment": TEXT,
    },
    "required": ["decision"],
    "additionalProperties": False,
}
FINDING_OUT = {
    "type": "object",
    "properties": {
        "id": UUID,
        "status": {"enum": ["open", "fixed", "closed"]},
        "site": {"type": "string"},
        "department": {"type": "string"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "due": {"type": ["string", "null"], "format": "date"},
        "overdue": {"type": "boolean"},
        "inspection": {"type": ["string", "null"]},
        "before_photos": {"type": "array", "items": UUID},
        "after_photos": {"type": "array", "items": UUID},
        "fix": {"type": ["object", "null"]},
        "verification": {"type": ["object", "null"]},
        "created_at": TIMESTAMP,
    },
}

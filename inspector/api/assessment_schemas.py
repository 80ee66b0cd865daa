"""JSON Schemas of the assessment year's API: activities, files, frameworks and marks.

What the API accepts (…_IN, validating request bodies) and what it answers (records), for
openapi.json; kept apart from schemas.py and records.py so each stays one screen of rules.
"""

from inspector.api.records import (
    BOOLEAN,
    DATE_TIME,
    INTEGER,
    MAYBE_NUMBER,
    NUMBER,
    STRING,
    record,
)
from inspector.api.schemas import CODE_REF, DATE, KEY, PHOTO_IDS, TEXT, TITLE, UUID, code, text
from inspector.limits import MAX_CHECKLIST_ITEMS

MAX_PARTICIPANTS = 1_000_000
MAX_POINTS = 1000
METHODS = ["inspection", "activity", "material", "survey"]
PLACE = text(200)
YEAR = {"type": "integer", "minimum": 2000, "maximum": 2100}

ACTIVITY_IN = {
    "type": "object",
    "properties": {
        "kind": CODE_REF,
        "title": TITLE,
        "date": DATE,
        "department": {"anyOf": [CODE_REF, {"type": "null"}]},
        "place": PLACE,
        "participants": {"type": "integer", "minimum": 0, "maximum": MAX_PARTICIPANTS},
        "participant_names": TEXT,
        "description": TEXT,
        "photos": PHOTO_IDS,
        "files": {**PHOTO_IDS, "description": "Uploaded files' ids (PUT /files/{uuid})."},
    },
    "required": ["kind", "title", "date"],
    "additionalProperties": False,
}
FILE_IN = {
    "type": "object",
    "properties": {
        "file": {
            "type": "string",
            "format": "binary",
            "description": "PDF, DOCX, XLSX, or a JPEG, PNG, WebP or HEIC image; the kind is "
            "read from the bytes.",
        }
    },
    "required": ["file"],
}
LINKED_ITEM = {
    "type": "object",
    "properties": {"template": KEY, "item": KEY},
    "required": ["template", "item"],
    "additionalProperties": False,
}
INDICATOR_IN = {
    "type": "object",
    "description": "points are required unless veto is true (a veto indicator has none).",
    "properties": {
        "code": code(64),
        "title": TITLE,
        "points": {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_POINTS},
        "method": {"enum": METHODS},
        "criteria": TEXT,
        "section": text(200),
        "content": TEXT,
        "items": {"type": "array", "items": LINKED_ITEM, "maxItems": 200},
        "activity_kinds": {"type": "array", "items": CODE_REF, "maxItems": 50},
        "target": {"type": "integer", "minimum": 1, "maximum": MAX_PARTICIPANTS},
        "veto": BOOLEAN,
        "bonus": BOOLEAN,
    },
    "required": ["code", "title", "method"],
    "additionalProperties": False,
}
FRAMEWORK_IN = {
    "type": "object",
    "properties": {
        "code": KEY,
        "name": TITLE,
        "year": YEAR,
        "bonus_cap": {"type": "number", "minimum": 0, "maximum": MAX_POINTS},
        "indicators": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_CHECKLIST_ITEMS,
            "items": INDICATOR_IN,
        },
    },
    "required": ["code", "name", "year", "indicators"],
    "additionalProperties": False,
}
FRAMEWORK_FILE_IN = {
    "type": "object",
    "properties": {
        "file": {
            "type": "string",
            "format": "binary",
            "description": "XLSX: columns 测评项目, 指标, 测评内容, 分值, 测评方法, "
            "评分标准 (optional 代码, 目标, 关联), one row per indicator.",
        },
        "code": KEY,
        "name": TITLE,
        "year": YEAR,
        "bonus_cap": {"type": "number", "minimum": 0, "maximum": MAX_POINTS},
    },
    "required": ["file"],
}
MARK_IN = {
    "type": "object",
    "description": "mark: 0..points for a material or survey indicator, 1 (passed) or 0 "
    "(failed) for a veto indicator.",
    "properties": {
        "indicator": code(64),
        "department": {"anyOf": [CODE_REF, {"type": "null"}]},
        "mark": {"type": "number", "minimum": 0, "maximum": MAX_POINTS},
        "note": TEXT,
        "year": YEAR,
    },
    "required": ["indicator", "mark", "note"],
    "additionalProperties": False,
}

MAYBE_STRING = {"type": ["string", "null"]}
ACTIVITY = record(
    {
        "id": UUID,
        "kind": STRING,
        "title": STRING,
        "date": {"type": "string", "format": "date"},
        "department": MAYBE_STRING,
        "place": STRING,
        "participants": {"type": ["integer", "null"]},
        "participant_names": STRING,
        "description": STRING,
        "photos": {"type": "array", "items": UUID},
        "files": {"type": "array", "items": UUID},
        "author": STRING,
        "created_at": DATE_TIME,
        "updated_at": DATE_TIME,
    }
)
ACTIVITY_KIND = record({"code": STRING, "name": STRING, "per_week": INTEGER, "active": BOOLEAN})
FILE = record(
    {
        "id": UUID,
        "sha256": STRING,
        "name": STRING,
        "size": INTEGER,
        "media_type": STRING,
        "url": {"type": "string", "format": "uri-reference"},
    }
)
INDICATOR = record(
    {
        "code": STRING,
        "title": STRING,
        "section": STRING,
        "content": STRING,
        "criteria": STRING,
        "points": MAYBE_NUMBER,
        "method": {"enum": METHODS},
        "items": {"type": "array", "items": LINKED_ITEM},
        "activity_kinds": {"type": "array", "items": STRING},
        "target": {"type": ["integer", "null"]},
        "veto": BOOLEAN,
        "bonus": BOOLEAN,
    }
)
FRAMEWORK = record(
    {
        "id": INTEGER,
        "code": STRING,
        "version": INTEGER,
        "current": BOOLEAN,
        "name": STRING,
        "year": INTEGER,
        "bonus_cap": MAYBE_NUMBER,
        "created_at": DATE_TIME,
        "indicators": {"type": "array", "items": INDICATOR},
    }
)
MARK = record(
    {
        "id": INTEGER,
        "framework": INTEGER,
        "indicator": STRING,
        "department": MAYBE_STRING,
        "year": INTEGER,
        "mark": NUMBER,
        "note": STRING,
        "by": STRING,
        "at": DATE_TIME,
    }
)
EVALUATED = record(
    {
        "code": STRING,
        "title": STRING,
        "method": {"enum": METHODS},
        "points": MAYBE_NUMBER,
        "earned": MAYBE_NUMBER,
        "evidence": INTEGER,
        "gap": STRING,
        "veto": BOOLEAN,
        "bonus": BOOLEAN,
    },
    optional=("gap",),
)
EVALUATION = record(
    {
        "framework": INTEGER,
        "year": INTEGER,
        "department": MAYBE_STRING,
        "total": NUMBER,
        "possible": NUMBER,
        "bonus": NUMBER,
        "bonus_cap": MAYBE_NUMBER,
        "vetoed": BOOLEAN,
        "closed": {**BOOLEAN, "description": "true once the year is closed: results as kept"},
        "indicators": {"type": "array", "items": EVALUATED},
    }
)

"""JSON Schemas of what the API answers: its records and the error body, for openapi.json.

Answers carry no input limits (a record stored before a limit existed still reads back), but
every field the serializers always write is `required`, and times are `date-time`.
"""

from inspector.api.schemas import LOCATION, UUID

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
DATE_TIME = {"type": "string", "format": "date-time"}
MAYBE_DATE_TIME = {"type": ["string", "null"], "format": "date-time"}
MAYBE_DATE = {"type": ["string", "null"], "format": "date"}
MAYBE_NUMBER = {"type": ["number", "null"]}


def record(properties, optional=()):
    """An object with these properties, all required but the `optional` ones."""
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
    }


def step(**properties):
    """Who did a step of a record's life and when (a review, a fix, a verification), or null."""
    return {**record({"by": STRING, "at": DATE_TIME, **properties}), "type": ["object", "null"]}


ME = record(
    {
        "username": STRING,
        "role": {"enum": ["admin", "supervisor", "inspector", "lead"]},
        "department": {"type": ["string", "null"]},
    }
)
DEPARTMENT = record({"code": STRING, "name": STRING, "active": BOOLEAN})
SITE = record(
    {
        "code": STRING,
        "name": STRING,
        "kind": {"enum": ["office", "residential", "public"]},
        "department": STRING,
        "address": STRING,
        "expected_per_week": INTEGER,
        "active": BOOLEAN,
        "lat": MAYBE_NUMBER,
        "lon": MAYBE_NUMBER,
        "radius_m": {"type": ["integer", "null"]},
    }
)
ERROR = record(
    {
        "error": record(
            {
                "code": STRING,
                "message": STRING,
                "fields": {
                    "type": "object",
                    "additionalProperties": STRING,
                    "description": "What is wrong with each field, by its dotted path; at "
                    "most 50 (the message says when more were left out).",
                },
            },
            optional=("fields",),
        )
    }
)

CHECKLIST_ITEM = record(
    {
        "key": STRING,
        "text": STRING,
        "type": {"enum": ["check", "scale", "deduct", "text"]},
        "points": NUMBER,
        "per": NUMBER,
        "critical": BOOLEAN,
        "photo_on_fail": BOOLEAN,
        "guidance": STRING,
    },
    optional=("points", "per", "critical", "photo_on_fail", "guidance"),
)
TEMPLATE = record(
    {
        "id": INTEGER,
        "code": STRING,
        "version": INTEGER,
        "current": BOOLEAN,
        "status": {"enum": ["draft", "published", "retired"]},
        "site_kinds": {
            "type": "array",
            "items": {"enum": ["office", "residential", "public"]},
        },
        "created_at": DATE_TIME,
        "name": STRING,
        "description": STRING,
        "sections": {
            "type": "array",
            "items": record({"title": STRING, "items": {"type": "array", "items": CHECKLIST_ITEM}}),
        },
    }
)
PHOTO = record(
    {
        "id": UUID,
        "sha256": STRING,
        "width": INTEGER,
        "height": INTEGER,
        "taken_at": MAYBE_DATE_TIME,
        "lat": MAYBE_NUMBER,
        "lon": MAYBE_NUMBER,
        "url": {"type": "string", "format": "uri-reference"},
        "thumb_url": {"type": "string", "format": "uri-reference"},
    }
)
RESPONSE = record(
    {
        "item": STRING,
        "answer": {"description": 'As sent: a string, an integer or {"count": n}.'},
        "note": STRING,
        "photos": {"type": "array", "items": UUID},
        "earned": MAYBE_NUMBER,
        "possible": MAYBE_NUMBER,
        "failed": BOOLEAN,
    }
)
SCORE = record({"earned": NUMBER, "possible": NUMBER, "percent": MAYBE_NUMBER})
ANY_ANSWER = {"description": 'An answer as the API takes it: a string, an integer or {"count": n}.'}
AMENDMENT = record(
    {
        "item": STRING,
        "from": ANY_ANSWER,
        "to": ANY_ANSWER,
        "appeal": {"type": ["string", "null"], "description": "the appeal whose ruling made it"},
        "by": STRING,
        "at": DATE_TIME,
        "score_before": SCORE,
        "score_after": SCORE,
    }
)
INSPECTION = record(
    {
        "id": UUID,
        "status": {"enum": ["draft", "submitted", "returned", "approved"]},
        "site": STRING,
        "department": STRING,
        "template": INTEGER,
        "template_code": STRING,
        "template_version": INTEGER,
        "inspector": STRING,
        "started_at": DATE_TIME,
        "submitted_at": MAYBE_DATE_TIME,
        "location": {"anyOf": [LOCATION, {"type": "null"}]},
        "score": SCORE,
        "critical_failed": BOOLEAN,
        "responses": {
            "type": "array",
            "items": RESPONSE,
            "description": "Answers in force: an item amended on appeal shows the ruling's answer",
        },
        "amendments": {
            "type": "array",
            "items": AMENDMENT,
            "description": "Rulings on appeal that changed answers, oldest first; the answers "
            "as given stay in each amendment's `from`",
        },
        "review": step(comment=STRING),
        "updated_at": DATE_TIME,
        "signatures": record(
            {
                "inspector": {"type": ["string", "null"]},
                "representative": {"type": ["string", "null"]},
                "representative_name": STRING,
            }
        ),
    },
    optional=("signatures",),
)
SCORE_ROW = record(
    {
        "department": STRING,
        "name": STRING,
        "inspections": INTEGER,
        "pending": INTEGER,
        "percent": MAYBE_NUMBER,
        "grade": {"enum": ["excellent", "good", "pass", "fail", None]},
        "rank": {"type": ["integer", "null"]},
        "critical_failures": INTEGER,
        "vetoed": BOOLEAN,
    }
)
SCORE_SHEET = record(
    {
        "from": {"type": "string", "format": "date"},
        "to": {"type": "string", "format": "date"},
        "closed": {**BOOLEAN, "description": "true when the period is closed (frozen)"},
        "departments": {"type": "array", "items": SCORE_ROW},
    }
)
FINDING = record(
    {
        "id": UUID,
        "status": {"enum": ["open", "fixed", "closed"]},
        "site": STRING,
        "department": STRING,
        "title": STRING,
        "description": STRING,
        "due": MAYBE_DATE,
        "overdue": BOOLEAN,
        "inspection": {"type": ["string", "null"]},
        "before_photos": {"type": "array", "items": UUID},
        "after_photos": {"type": "array", "items": UUID},
        "fix": step(note=STRING),
        "verification": step(comment=STRING),
        "resolution": {
            "type": ["string", "null"],
            "enum": ["accepted", "withdrawn", "overturned", None],
            "description": "how a closed finding ended: its fix accepted, withdrawn because "
            "the corrected inspection no longer fails the item, or overturned on appeal "
            "(docs/scoring.md, docs/appeals.md); null until then",
        },
        "created_at": DATE_TIME,
    }
)
APPEAL = record(
    {
        "id": UUID,
        "inspection": UUID,
        "item": STRING,
        "department": STRING,
        "site": STRING,
        "author": STRING,
        "inspector": {**STRING, "description": "who made the inspection"},
        "status": {"enum": ["pending", "withdrawn", "upheld", "overturned"]},
        "reason": STRING,
        "photos": {"type": "array", "items": UUID},
        "created_at": DATE_TIME,
        "withdrawn_at": MAYBE_DATE_TIME,
        "decision": {
            **record(
                {
                    "decision": {"enum": ["uphold", "overturn"]},
                    "by": STRING,
                    "at": DATE_TIME,
                    "comment": STRING,
                    "answer": {**ANY_ANSWER, "description": "the corrected answer; null on uphold"},
                }
            ),
            "type": ["object", "null"],
        },
    }
)
WEBHOOK = record(
    {
        "id": INTEGER,
        "url": STRING,
        "events": {"type": "array", "items": STRING},
        "secret": {**STRING, "description": "Only in the answer that creates it."},
        "created_at": DATE_TIME,
    },
    optional=("secret",),
)
WEBHOOK_CREATED = {**WEBHOOK, "required": ["id", "url", "events", "secret", "created_at"]}
CHANNEL = record(
    {
        "id": INTEGER,
        "kind": {"enum": ["wecom", "dingtalk", "email"]},
        "name": STRING,
        "target": {**STRING, "description": "A robot's key is cut short: it is a secret."},
        "events": {"type": "array", "items": STRING},
        "department": {"type": ["string", "null"]},
        "locale": STRING,
        "created_at": DATE_TIME,
    }
)
DELIVERY = record(
    {
        "id": {**STRING, "description": "The X-Inspector-Delivery of every attempt."},
        "event": STRING,
        "status": {"enum": ["pending", "delivered", "failed"]},
        "attempts": INTEGER,
        "last_status_code": {"type": ["integer", "null"]},
        "last_attempt_at": MAYBE_DATE_TIME,
    }
)
ASSIGNMENT = record(
    {
        "id": UUID,
        "round": UUID,
        "round_title": STRING,
        "template": INTEGER,
        "from": {"type": "string", "format": "date"},
        "to": {"type": "string", "format": "date"},
        "site": STRING,
        "site_name": STRING,
        "department": STRING,
        "inspector": STRING,
        "status": {
            "enum": ["open", "done", "unable", "refused"],
            "description": "done: its inspector submitted an inspection of the site and "
            "checklist (any version) within the dates; unable (无法检查) or refused (拒检): "
            "closed with a reason and photos; else open",
        },
        "overdue": {**BOOLEAN, "description": "open after the round's last day"},
        "inspection": {"type": ["string", "null"], "description": "the inspection that did it"},
        "reason": {"type": ["string", "null"]},
        "photos": {"type": "array", "items": UUID},
    }
)
ROUND = record(
    {
        "id": UUID,
        "title": STRING,
        "template": INTEGER,
        "template_name": STRING,
        "from": {"type": "string", "format": "date"},
        "to": {"type": "string", "format": "date"},
        "hidden": BOOLEAN,
        "series": {"type": ["string", "null"], "description": "shared by a repeating round"},
        "sample": {
            "type": "object",
            "description": "the sample asked for (sampled rounds only); the draw itself (pool, "
            "seed, result) is in the audit trail",
        },
        "assignments": {
            "type": "array",
            "items": ASSIGNMENT,
            "description": "those the caller may see",
        },
    },
    optional=("sample",),
)

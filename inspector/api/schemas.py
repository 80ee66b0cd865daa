"""JSON Schemas of what the API accepts: they validate request bodies and go into openapi.json.

Rules the server enforces are written here with schema keywords where JSON Schema can say
them (lengths from inspector.limits, bounds, `if`/`then` for a comment a decision needs) and
in `description` where it cannot (what a checklist item's type asks of its answer).
"""

from inspector.events import EVENTS, INTERNAL_EVENTS
from inspector.limits import (
    ADDRESS_LENGTH,
    CODE_LENGTH,
    COMMUNITY_LENGTH,
    ITEM_TEXT_LENGTH,
    KEY_LENGTH,
    MAX_CHECKLIST_ITEMS,
    MAX_COUNT,
    MAX_ID,
    NAME_LENGTH,
    TEXT_LENGTH,
    TITLE_LENGTH,
)
from inspector.periods import FIRST_DAY, LAST_DAY

# A record id: what the database can hold (a larger one could name no record).
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
UUID = {
    "type": "string",
    "pattern": "^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$",
    "maxLength": 36,
}
PHOTO_IDS = {"type": "array", "items": UUID, "maxItems": 20, "uniqueItems": True}


def pattern_text(pattern, length):
    return {"type": "string", "pattern": pattern, "maxLength": length}


def code(length):
    """A code: letters, digits, '-', '_' or '.', starting with a letter or digit."""
    return pattern_text(rf"^[A-Za-z0-9][A-Za-z0-9_.-]{{0,{length - 1}}}$", length)


def text(length, required=False):
    """Free text of at most `length` characters; `required` text must not be blank."""
    if required:
        return {"type": "string", "minLength": 1, "maxLength": length, "pattern": r"\S"}
    return {"type": "string", "maxLength": length}


CODE = code(CODE_LENGTH)
KEY = code(KEY_LENGTH)
CODE_REF = {"type": "string", "maxLength": CODE_LENGTH}  # names a department or site
NAME = text(NAME_LENGTH, required=True)
TITLE = text(TITLE_LENGTH, required=True)
TEXT = text(TEXT_LENGTH)  # notes, comments, descriptions, guidance
RANGE = f"from {FIRST_DAY} to {LAST_DAY}"
DATE = {"type": "string", "format": "date", "maxLength": 10, "description": f"A day {RANGE}."}
TIMESTAMP = {
    "type": "string",
    "format": "date-time",
    "maxLength": 40,
    "description": f"ISO 8601, its date {RANGE} as written; without an offset it is read in "
    "the deployment's time zone.",
}
LATITUDE = {"type": "number", "minimum": -90, "maximum": 90}
LONGITUDE = {"type": "number", "minimum": -180, "maximum": 180}
LOCATION = {
    "type": "object",
    "properties": {"lat": LATITUDE, "lon": LONGITUDE},
    "required": ["lat", "lon"],
    "additionalProperties": False,
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


def needs_comment(field, value):
    """`if`/`then`: when `field` is `value`, a comment that is not blank is required."""
    return {
        "if": {"properties": {field: {"const": value}}, "required": [field]},
        "then": {"properties": {"comment": {"pattern": r"\S"}}, "required": ["comment"]},
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
        "address": text(ADDRESS_LENGTH),
        "community": text(COMMUNITY_LENGTH),
        "expected_per_week": {"type": "integer", "minimum": 0, "maximum": 50},
        "active": {"type": "boolean"},
        # Proof of presence (docs/rounds.md): all three, or none (null clears them).
        "lat": {**LATITUDE, "type": ["number", "null"]},
        "lon": {**LONGITUDE, "type": ["number", "null"]},
        "radius_m": {"type": ["integer", "null"], "minimum": 10, "maximum": 10000},
    },
    "required": ["code", "name", "kind", "department"],
    "additionalProperties": False,
    "description": "lat, lon and radius_m (metres) locate the site for proof of presence: give "
    "all three or none (a 422 names radius_m otherwise). `community` (社区, 村) is what rounds "
    "draw from or stratify by.",
}

TEMPLATE_CHANGE = {
    "type": "object",
    "description": "A checklist's lifecycle and reach, for every version of its code: "
    "draft (admins only), published, retired (no new inspections); the site kinds it is "
    "offered at (none: all). Setting the status it has already changes nothing.",
    "properties": {
        "status": {"enum": ["draft", "published", "retired"]},
        "site_kinds": {
            "type": "array",
            "items": {"enum": ["office", "residential", "public"]},
            "uniqueItems": True,
        },
    },
    "minProperties": 1,
    "additionalProperties": False,
}

INSPECTION_IN = {
    "type": "object",
    "description": "With submit true, every scored item needs an answer, and a failed "
    "photo_on_fail item a photo; each item is answered at most once.",
    "properties": {
        "template": ID,
        "site": CODE_REF,
        "started_at": TIMESTAMP,
        "submitted_at": {"anyOf": [TIMESTAMP, {"type": "null"}]},
        "location": {"anyOf": [LOCATION, {"type": "null"}]},
        "responses": {
            "type": "array",
            "maxItems": MAX_CHECKLIST_ITEMS,
            "items": {
                "type": "object",
                "properties": {
                    "item": {"type": "string", "maxLength": KEY_LENGTH},
                    "answer": ANSWER,
                    "note": TEXT,
                    "photos": PHOTO_IDS,
                },
                "required": ["item", "answer"],
                "additionalProperties": False,
            },
        },
        "signatures": {
            "type": "object",
            "description": "Signatures drawn on the phone, uploaded as photos (PNG or JPEG) "
            "first: the inspector's and the inspected department's representative's, with "
            "the representative's name. Printed on the inspection report.",
            "properties": {
                "inspector": {"anyOf": [UUID, {"type": "null"}]},
                "representative": {"anyOf": [UUID, {"type": "null"}]},
                "representative_name": text(NAME_LENGTH),
            },
            "additionalProperties": False,
        },
        "submit": {"type": "boolean"},
    },
    "required": ["template", "site", "started_at", "responses", "submit"],
    "additionalProperties": False,
}
REVIEW_IN = {
    "type": "object",
    "description": "A return needs a comment saying what to correct.",
    "properties": {"decision": {"enum": ["approve", "return"]}, "comment": TEXT},
    "required": ["decision"],
    "additionalProperties": False,
    **needs_comment("decision", "return"),
}

# The checklist format, for the OpenAPI document; inspector.checklists.format checks it.
CHECKLIST_ITEM = {
    "type": "object",
    "description": "Scored items (check, scale, deduct) need points (whole for scale); per is "
    "for deduct items only (default 1); text items carry no points, per, critical or "
    "photo_on_fail. Keys are unique within a checklist.",
    "properties": {
        "key": KEY,
        "text": text(ITEM_TEXT_LENGTH, required=True),
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
    "description": f"At most {MAX_CHECKLIST_ITEMS} items in all.",
    "properties": {
        "code": KEY,
        "name": TITLE,
        "description": TEXT,
        "sections": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "title": TITLE,
                    "items": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": MAX_CHECKLIST_ITEMS,
                        "items": CHECKLIST_ITEM,
                    },
                },
                "required": ["title", "items"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["code", "name", "sections"],
    "additionalProperties": False,
}
PHOTO_IN = {
    "type": "object",
    "properties": {
        "file": {
            "type": "string",
            "format": "binary",
            "description": "JPEG, PNG, WebP or HEIC/HEIF, the kind read from the bytes.",
        },
        "taken_at": TIMESTAMP,
        "lat": LATITUDE,
        "lon": LONGITUDE,
    },
    "required": ["file"],
}

FINDING_IN = {
    "type": "object",
    "properties": {
        "site": CODE_REF,
        "title": TITLE,
        "description": TEXT,
        "due": {"anyOf": [DATE, {"type": "null"}]},
        "before_photos": PHOTO_IDS,
    },
    "required": ["site", "title"],
    "additionalProperties": False,
}
FIX_IN = {
    "type": "object",
    "properties": {"after_photos": {**PHOTO_IDS, "minItems": 1}, "note": TEXT},
    "required": ["after_photos"],
    "additionalProperties": False,
}
VERIFY_IN = {
    "type": "object",
    "description": "A rejection needs a comment saying why.",
    "properties": {"decision": {"enum": ["accept", "reject"]}, "comment": TEXT},
    "required": ["decision"],
    "additionalProperties": False,
    **needs_comment("decision", "reject"),
}

APPEAL_IN = {
    "type": "object",
    "description": "Only the lead of the inspection's department; the item must have lost "
    "points, the inspection been submitted at most APPEAL_DAYS days ago, and its period be "
    "open (422 naming the reason: appeal_window, item_not_deducted, period_closed).",
    "properties": {
        "inspection": UUID,
        "item": {"type": "string", "maxLength": KEY_LENGTH},
        "reason": text(TEXT_LENGTH, required=True),
        "photos": PHOTO_IDS,
    },
    "required": ["inspection", "item", "reason"],
    "additionalProperties": False,
}
DECISION_IN = {
    "type": "object",
    "description": "An overturn needs the corrected answer, valid for the item and losing "
    "fewer points than the original, and a comment saying why.",
    "properties": {
        "decision": {"enum": ["uphold", "overturn"]},
        "answer": ANSWER,
        "comment": TEXT,
    },
    "required": ["decision"],
    "additionalProperties": False,
    **needs_comment("decision", "overturn"),
}


# Webhooks and channels (inspector/notifications). Event names: inspector.events.
def event_names(*names):
    return {
        "type": "array",
        "items": {"enum": ["*", *names]},
        "minItems": 1,
        "maxItems": 20,
        "uniqueItems": True,
        "description": '"*" subscribes to all.',
    }


def webhook_in(events):
    return {
        "type": "object",
        "properties": {
            "url": {
                "type": "string",
                "maxLength": 2000,
                "description": "http:// or https://; intranet and loopback receivers are "
                "allowed unless INSPECTOR_WEBHOOK_ALLOWED_HOSTS restricts them (422).",
            },
            "events": event_names(*events),
            "secret": {
                "type": "string",
                "minLength": 1,
                "maxLength": 200,
                "description": "Signs each body (X-Inspector-Signature); a random one if absent.",
            },
        },
        "required": ["url", "events"],
        "additionalProperties": False,
    }


def channel_in(events):
    return {
        "type": "object",
        "description": "email needs the server's INSPECTOR_SMTP_URL (else 422).",
        "properties": {
            "kind": {"enum": ["wecom", "dingtalk", "email"]},
            "target": {
                "type": "string",
                "maxLength": 2000,
                "description": "The robot's webhook URL (with its key or access_token), or "
                "an email address.",
            },
            "events": event_names(*events),
            "secret": {
                "type": "string",
                "minLength": 1,
                "maxLength": 200,
                "description": "DingTalk: the robot's 加签 secret (SEC...).",
            },
            "department": {**CODE_REF, "description": "Only its department's events; none: all."},
            "name": text(NAME_LENGTH),
            "locale": {"enum": ["zh", "en"], "description": "The messages' language (zh)."},
        },
        "required": ["kind", "target", "events"],
        "additionalProperties": False,
    }


WEBHOOK_IN = webhook_in(EVENTS)
CHANNEL_IN = channel_in((*EVENTS, *INTERNAL_EVENTS))
USERNAME = {"type": "string", "minLength": 1, "maxLength": 64}
SEED = {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1}
SAMPLE = {
    "type": "object",
    "description": "Draw `size` sites from the pool (active sites; of these kinds, departments "
    "and communities, when given), ordered by site code and drawn with Python's "
    "random.Random(seed): the same pool, size, strata and seed give the same sites in any "
    "database. With `strata`, every kind, department or community (sites without one count as "
    "one) gets at least one site where the size allows, the rest in "
    "proportion. `exclude_recent` K leaves out the sites of the K rounds planned last. A pool "
    "smaller than `size` is taken whole.",
    "properties": {
        "size": {"type": "integer", "minimum": 1, "maximum": 10000},
        "pool": {
            "type": "object",
            "properties": {
                "kinds": {
                    "type": "array",
                    "items": {"enum": ["office", "residential", "public"]},
                    "uniqueItems": True,
                },
                "departments": {
                    "type": "array",
                    "items": CODE_REF,
                    "maxItems": 1000,
                    "uniqueItems": True,
                },
                "communities": {
                    "type": "array",
                    "items": {**text(COMMUNITY_LENGTH), "minLength": 1},
                    "maxItems": 1000,
                    "uniqueItems": True,
                },
            },
            "additionalProperties": False,
        },
        "strata": {"enum": ["kind", "department", "community", None]},
        "seed": SEED,
        "exclude_recent": {"type": "integer", "minimum": 0, "maximum": 1000},
    },
    "required": ["size", "seed"],
    "additionalProperties": False,
}
ROUND_IN = {
    "type": "object",
    "description": "Exactly one of `sites` and `sample`. Sites not given in `assign` are "
    "balanced across `inspectors` (their counts differ by at most one), never to an inspector "
    "of the site's department (回避): 422 when that is impossible. `hidden` keeps the sites "
    "from the departments' leads until the round has ended (unannounced visits). The same body "
    "again under the same `id` answers the stored round (200); another body → 409.",
    "properties": {
        "id": UUID,
        "title": TITLE,
        "template": ID,
        "from": DATE,
        "to": DATE,
        "sites": {"type": "array", "items": CODE_REF, "minItems": 1, "maxItems": 10000,
                  "uniqueItems": True},
        "sample": SAMPLE,
        "inspectors": {"type": "array", "items": USERNAME, "maxItems": 1000, "uniqueItems": True},
        "assign": {
            "type": "object",
            "additionalProperties": USERNAME,
            "propertyNames": {"maxLength": CODE_LENGTH},
            "maxProperties": 10000,
        },
        "hidden": {"type": "boolean"},
    },
    "required": ["title", "template", "from", "to", "inspectors"],
    "additionalProperties": False,
}  # fmt: skip
OUTCOME_IN = {
    "type": "object",
    "description": "Close an assignment that could not be inspected (无法检查) or was refused "
    "(拒检): a reason and at least one photo (uploaded first) are required.",
    "properties": {
        "status": {"enum": ["unable", "refused"]},
        "reason": text(TEXT_LENGTH, required=True),
        "photos": {**PHOTO_IDS, "minItems": 1},
    },
    "required": ["status", "reason", "photos"],
    "additionalProperties": False,
}
REASSIGN_IN = {
    "type": "object",
    "properties": {"inspector": USERNAME},
    "required": ["inspector"],
    "additionalProperties": False,
}

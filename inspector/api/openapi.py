"""The OpenAPI 3.1 description of the API, built from the same schemas that validate it."""

from inspector.api import assessment_openapi, records, schemas
from inspector.api.operations import (
    CHANGE,
    DAY,
    DEPARTMENT,
    NOT_FOUND,
    RANGE,
    RETRY_AFTER,
    answer,
    conflict,
    created,
    failure,
    got,
    listed,
    operation,
    path_parameter,
    put_by_uuid,
    query,
    ref,
    step,
)
from inspector.documents.files import DOCX
from inspector.documents.pdf import PDF
from inspector.limits import DOCUMENT_NUMBER_LENGTH, KEY_LENGTH
from inspector.scores.exports import CSV, XLSX

UUID = path_parameter("uuid", schemas.UUID)
SCORE_PARAMS = [
    query("from", DAY, f"First day, in the deployment's time zone. {RANGE}", required=True),
    query("to", DAY, "Last day, inclusive; not before `from` (400).", required=True),
    query("final", {"type": "boolean", "default": False}, "true counts approved inspections only"),
    query(
        "style",
        {"enum": ["report", "data"], "default": "report"},
        "CSV only. report: a title line, translated headers, UTF-8 with BOM (for Excel); data: "
        "one header row of the JSON field names, raw values, no BOM (for programs)",
    ),
]
SCORE_FILES = {
    "csv": (CSV, "UTF-8 with a byte-order mark, for Excel", {"type": "string"}),
    "xlsx": (XLSX, "An Excel workbook", {"type": "string", "format": "binary"}),
}
BULLETINS = {
    "docx": (DOCX, "The 通报 as a Word document", {"type": "string", "format": "binary"}),
    "pdf": (PDF, "The 通报 as a PDF (searchable text)", {"type": "string", "format": "binary"}),
}
SAVED_AS = {
    "Content-Disposition": {"description": "attachment; filename=...", "schema": {"type": "string"}}
}


def score_file(kind):
    media_type, description, schema = SCORE_FILES[kind]
    ok = {"200": answer(description, schema, media_type, headers=SAVED_AS)}
    summary = f"The score sheet as {kind.upper()} (the same as /scores?format={kind})"
    return operation(f"downloadScores{kind.title()}", "scores", summary, ok, params=SCORE_PARAMS)


def score_sheet():
    content = {"application/json": {"schema": ref("ScoreSheet")}}
    files = {**SCORE_FILES, **BULLETINS}
    content.update({media: {"schema": schema} for media, _text, schema in files.values()})
    ok = {
        "200": {
            "description": "The score sheet; a file with format csv or xlsx; the 通报 (bulletin: "
            "the same ranking, its failing items and findings) with docx or pdf",
            "content": content,
            "headers": SAVED_AS,
        }
    }
    fmt = query(
        "format",
        {"enum": ["json", *files], "default": "json"},
        "csv or xlsx answers a file (generated clients: use /scores.csv and /scores.xlsx); "
        "docx or pdf the 通报",
    )
    number = query(
        "number",
        {"type": "string", "maxLength": DOCUMENT_NUMBER_LENGTH},
        "The document number (文号) printed on a docx or pdf 通报 (422 when too long)",
    )
    summary = "Departments ranked over from..to (local dates, inclusive)"
    errors = {"422": failure("A bad document number")}
    return operation(
        "getScores", "scores", summary, ok, params=[*SCORE_PARAMS, fmt, number], errors=errors
    )


def inspection_report():
    ok = {"200": answer("The report", {"type": "string", "format": "binary"}, PDF, SAVED_AS)}
    summary = "One inspection as a PDF report (answers, notes, photos, score, signatures)"
    return operation("getInspectionReport", "inspections", summary, ok, errors=NOT_FOUND)


def photo_upload():
    ok = {
        "201": answer("Stored", ref("Photo")),
        "200": answer("Already stored: the same bytes again", ref("Photo")),
    }
    errors = {
        **CHANGE,
        **NOT_FOUND,
        **conflict("Other bytes under this id"),
        "413": failure("Over the size limit"),
        "415": failure("Not a JPEG, PNG, WebP or HEIC image"),
        "422": failure("No file, a broken image or a decompression bomb, or a bad field"),
        "503": answer(
            "Busy decoding other photos: nothing was stored; send again after Retry-After",
            ref("Error"),
            headers={"Retry-After": RETRY_AFTER},
        ),
    }
    op = operation("putPhoto", "photos", "Upload a photo; safe to repeat", ok, errors=errors)
    op["requestBody"] = {
        "required": True,
        "content": {"multipart/form-data": {"schema": ref("PhotoIn")}},
    }
    return op


INSPECTION_FILTERS = [
    query("from", DAY, f"Submitted on or after this local day; alone, that day only. {RANGE}"),
    query("to", DAY, "Submitted on or before this local day; alone, that day only."),
    DEPARTMENT,
    query("status", {"enum": ["draft", "submitted", "returned", "approved"]}),
]
FINDING_FILTERS = [
    DEPARTMENT,
    query("status", {"enum": ["open", "fixed", "closed"]}),
    query("overdue", {"type": "boolean"}, "true: open findings past their due day"),
]
TEMPLATE_FILTERS = [
    query("all", {"type": "boolean", "default": False}, "true lists every version"),
    query("code", {"type": "string", "maxLength": KEY_LENGTH}, "Only this checklist code"),
]
STEP_CLASH = "Not in a state for this step"
APPEAL_FILTERS = [
    query("status", {"enum": ["pending", "withdrawn", "upheld", "overturned"]}),
    DEPARTMENT,
    query("inspection", schemas.UUID, "Only the appeals of this inspection"),
]
APPEAL_FILED = {
    "201": answer("Filed, pending", ref("Appeal")),
    "200": answer("The stored appeal: the same body again", ref("Appeal")),
}
ADMINS_ONLY = {"403": failure("Administrators only")}
CHANNEL_ID = path_parameter("id", schemas.ID)


def admin_list(op_id, tag, summary, name, found=False):
    op = listed(op_id, tag, summary, name)
    op["responses"].update({**ADMINS_ONLY, **(NOT_FOUND if found else {})})
    op["responses"] = dict(sorted(op["responses"].items()))
    return op


def removed(op_id, tag, summary):
    """DELETE one record (admin): 204."""
    ok = {"204": answer("Deleted: nothing more is sent to it")}
    return operation(op_id, tag, summary, ok, errors={**ADMINS_ONLY, **NOT_FOUND})


def channel_paths(kind, tag, create_summary, body, record):
    title = "Webhook" if kind == "webhooks" else "Channel"
    made = ref(f"{record}Created" if kind == "webhooks" else record)
    return {
        f"/{kind}": {
            "get": admin_list(f"list{title}s", tag, f"List {kind} (admin)", record),
            "post": operation(
                f"create{title}", tag, create_summary, {"201": answer("Created", made)},
                body=ref(body), errors=ADMINS_ONLY,
            ),
        },
        f"/{kind}/{{id}}": {
            "parameters": CHANNEL_ID,
            "delete": removed(f"delete{title}", tag, f"Delete one of the {kind} (admin)"),
        },
        f"/{kind}/{{id}}/deliveries": {
            "parameters": CHANNEL_ID,
            "get": admin_list(
                f"list{title}Deliveries", tag, "Its deliveries: status, attempts, last answer",
                "Delivery", found=True,
            ),
        },
    }  # fmt: skip


ASSIGNMENT_FILTERS = [
    query("inspector", {"type": "string", "maxLength": 64}, "me, or a username"),
    query("status", {"enum": ["open", "done", "unable", "refused"]}),
]


def plan_round():
    ok = {
        "201": answer("Planned", ref("Round")),
        "200": answer("The same body again under the same id: the stored round", ref("Round")),
    }
    errors = {**conflict("Another round already has this id"), **NOT_FOUND}
    return operation(
        "createRound", "rounds", "Plan a round of listed or sampled sites (supervisor, admin)",
        ok, body=ref("RoundIn"), errors=errors,
    )  # fmt: skip


PATHS = {
    "/me": {"get": operation("getMe", "me", "Who you are", {"200": answer("You", ref("Me"))})},
    "/departments": {
        "get": listed("listDepartments", "organization", "List departments", "Department"),
        "post": created(
            "createDepartment", "organization", "Create a department (admin)", "DepartmentIn",
            "Department", clash="Code already in use",
        ),
    },
    "/sites": {
        "get": listed("listSites", "organization", "List sites", "Site"),
        "post": created(
            "createSite", "organization", "Create a site (admin)", "SiteIn", "Site",
            clash="Code already in use",
        ),
    },
    "/templates": {
        "get": listed(
            "listTemplates", "templates",
            "Checklists offered for new inspections (drafts to admins only; all=true: every "
            "version, retired ones too)",
            "Template", TEMPLATE_FILTERS,
        ),
        "post": created(
            "createTemplate", "templates",
            "Create a checklist, or a new version of its code (admin)", "ChecklistIn", "Template",
        ),
    },
    "/templates/{id}": {
        "parameters": path_parameter("id", schemas.ID),
        "get": got("getTemplate", "templates", "One checklist version", "Template"),
        "patch": operation(
            "changeTemplate", "templates",
            "Publish, retire or take back a checklist, or limit it to site kinds: every "
            "version of its code (admin)",
            {"200": answer("Changed", ref("Template"))},
            body=ref("TemplateChange"), errors=NOT_FOUND,
        ),
    },
    "/photos/{uuid}": {"parameters": UUID, "put": photo_upload()},
    "/inspections": {
        "get": listed(
            "listInspections", "inspections", "List inspections the caller may read",
            "Inspection", INSPECTION_FILTERS,
        ),
    },
    "/inspections/{uuid}": {
        "parameters": UUID,
        "get": got("getInspection", "inspections", "One inspection", "Inspection"),
        "put": put_by_uuid(
            "putInspection", "inspections", "Create, save or submit an inspection; safe to repeat",
            "InspectionIn", "Inspection", "Already submitted with other content",
        ),
    },
    "/inspections/{uuid}/report.pdf": {"parameters": UUID, "get": inspection_report()},
    "/inspections/{uuid}/review": {
        "parameters": UUID,
        "post": step(
            "reviewInspection", "inspections",
            "Approve or return a submitted inspection (supervisor, admin)", "ReviewIn",
            "Inspection", "Not submitted, or its score period is closed",
        ),
    },
    "/scores": {"get": score_sheet()},
    "/scores.csv": {"get": score_file("csv")},
    "/scores.xlsx": {"get": score_file("xlsx")},
    "/findings": {
        "get": listed(
            "listFindings", "findings", "List findings the caller may see", "Finding",
            FINDING_FILTERS,
        ),
    },
    "/findings/{uuid}": {
        "parameters": UUID,
        "get": got("getFinding", "findings", "One finding", "Finding"),
        "put": put_by_uuid(
            "putFinding", "findings", "Open a finding by hand with before photos; safe to repeat",
            "FindingIn", "Finding", "No longer open, or opened by someone else",
        ),
    },
    "/findings/{uuid}/fix": {
        "parameters": UUID,
        "post": step(
            "fixFinding", "findings", "Mark fixed with after photos", "FixIn", "Finding", STEP_CLASH
        ),
    },
    "/findings/{uuid}/verify": {
        "parameters": UUID,
        "post": step(
            "verifyFinding", "findings", "Accept (closed) or reject (open again) a fix",
            "VerifyIn", "Finding", STEP_CLASH,
        ),
    },
    "/rounds": {
        "get": listed("listRounds", "rounds", "List the rounds the caller may see", "Round"),
        "post": plan_round(),
    },
    "/rounds/{uuid}": {
        "parameters": UUID,
        "get": got("getRound", "rounds", "One round, with the assignments you may see", "Round"),
    },
    "/assignments": {
        "get": listed(
            "listAssignments", "rounds", "List assignments (an inspector: their own)",
            "Assignment", ASSIGNMENT_FILTERS,
        ),
    },
    "/assignments/{uuid}": {
        "parameters": UUID,
        "get": got("getAssignment", "rounds", "One assignment", "Assignment"),
    },
    "/assignments/{uuid}/outcome": {
        "parameters": UUID,
        "post": step(
            "closeAssignment", "rounds",
            "Close your assignment as unable (无法检查) or refused (拒检), with reason and photos",
            "OutcomeIn", "Assignment", "Already done by an inspection",
        ),
    },
    "/assignments/{uuid}/reassign": {
        "parameters": UUID,
        "post": step(
            "reassignAssignment", "rounds",
            "Give an open assignment to another inspector (supervisor, admin; audited)",
            "ReassignIn", "Assignment", "Not open any more",
        ),
    },
    "/appeals": {
        "get": listed(
            "listAppeals", "appeals",
            "List appeals (supervisor, admin: all; lead: their department's; inspector: on "
            "their inspections)", "Appeal", APPEAL_FILTERS,
        ),
    },
    "/appeals/{uuid}": {
        "parameters": UUID,
        "get": got("getAppeal", "appeals", "One appeal", "Appeal"),
        "put": operation(
            "putAppeal", "appeals",
            "Appeal a deduction (the lead of the inspection's department); safe to repeat",
            APPEAL_FILED, body=ref("AppealIn"),
            errors={**NOT_FOUND, **conflict("The item was appealed already, or this id holds "
                                            "another appeal")},
            description="422 with error.code appeal_window, item_not_deducted or "
            "period_closed when the item cannot be appealed.",
        ),
    },
    "/appeals/{uuid}/withdraw": {
        "parameters": UUID,
        "post": operation(
            "withdrawAppeal", "appeals", "Withdraw your pending appeal",
            {"200": answer("Withdrawn", ref("Appeal"))},
            errors={**CHANGE, **NOT_FOUND, **conflict("No longer pending")},
        ),
    },
    "/appeals/{uuid}/decision": {
        "parameters": UUID,
        "post": step(
            "decideAppeal", "appeals",
            "Uphold, or overturn with the corrected answer (supervisor, admin)", "DecisionIn",
            "Appeal", "No longer pending, or its score period is closed",
        ),
    },
}  # fmt: skip
PATHS.update(
    channel_paths(
        "webhooks", "webhooks", "Register a webhook (admin); the answer shows its secret once",
        "WebhookIn", "Webhook",
    )
)  # fmt: skip
PATHS.update(
    channel_paths(
        "channels", "webhooks", "Add a WeCom or DingTalk robot or a mailbox (admin)",
        "ChannelIn", "Channel",
    )
)  # fmt: skip

COMPONENTS = {
    "Me": records.ME,
    "Department": records.DEPARTMENT,
    "DepartmentIn": schemas.DEPARTMENT_IN,
    "Site": records.SITE,
    "SiteIn": schemas.SITE_IN,
    "Error": records.ERROR,
    "ChecklistIn": schemas.CHECKLIST_IN,
    "TemplateChange": schemas.TEMPLATE_CHANGE,
    "Template": records.TEMPLATE,
    "PhotoIn": schemas.PHOTO_IN,
    "Photo": records.PHOTO,
    "InspectionIn": schemas.INSPECTION_IN,
    "Inspection": records.INSPECTION,
    "ReviewIn": schemas.REVIEW_IN,
    "ScoreSheet": records.SCORE_SHEET,
    "FindingIn": schemas.FINDING_IN,
    "FixIn": schemas.FIX_IN,
    "VerifyIn": schemas.VERIFY_IN,
    "Finding": records.FINDING,
    "AppealIn": schemas.APPEAL_IN,
    "DecisionIn": schemas.DECISION_IN,
    "Appeal": records.APPEAL,
    "WebhookIn": schemas.WEBHOOK_IN,
    "Webhook": records.WEBHOOK,
    "WebhookCreated": records.WEBHOOK_CREATED,
    "ChannelIn": schemas.CHANNEL_IN,
    "Channel": records.CHANNEL,
    "Delivery": records.DELIVERY,
    "RoundIn": schemas.ROUND_IN,
    "Round": records.ROUND,
    "OutcomeIn": schemas.OUTCOME_IN,
    "ReassignIn": schemas.REASSIGN_IN,
    "Assignment": records.ASSIGNMENT,
}
TAGS = [
    {"name": "me", "description": "The caller"},
    {"name": "organization", "description": "Departments and sites"},
    {"name": "templates", "description": "Checklists and their versions"},
    {"name": "photos", "description": "Photo uploads"},
    {"name": "inspections", "description": "Inspections and their review"},
    {"name": "scores", "description": "Department score sheets"},
    {"name": "findings", "description": "Findings (corrective actions): open, fix, verify"},
    {"name": "appeals", "description": "Appeals against deductions, and their rulings"},
    {
        "name": "webhooks",
        "description": "Webhooks for integrators, WeCom and DingTalk robots, mailboxes: what "
        "is sent where, and how each delivery went (docs/notifications.md)",
    },
    {"name": "rounds", "description": "Rounds: planned or sampled visits and their assignments"},
]


def build_spec(server_url):
    """Return the OpenAPI document for an API served at `server_url`."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Inspector API", "version": "1"},
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}],
        "tags": TAGS + assessment_openapi.TAGS,
        "paths": {**PATHS, **assessment_openapi.PATHS},
        "components": {
            "schemas": {**COMPONENTS, **assessment_openapi.COMPONENTS},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }

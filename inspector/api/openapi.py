"""The OpenAPI 3 description of the API, built from the same schemas that validate it."""

from inspector.api import schemas


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def listing(name):
    return {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": ref(name)},
            "next": {"type": ["string", "null"], "format": "uri"},
        },
        "required": ["items", "next"],
    }


def answer(description, schema=None):
    body = {"description": description}
    if schema is not None:
        body["content"] = {"application/json": {"schema": schema}}
    return body


ERRORS = {
    "400": answer("Malformed request", ref("Error")),
    "401": answer("No or bad token", ref("Error")),
    "403": answer("Role forbids", ref("Error")),
}
LIST_PARAMS = [
    {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100},
    },
    {
        "name": "after",
        "in": "query",
        "schema": {"type": "integer"},
        "description": "Opaque cursor; follow the `next` link instead of setting it.",
    },
]


def operation(summary, ok, body=None, params=None, extra=None):
    op = {"summary": summary, "responses": {**ok, **ERRORS, **(extra or {})}}
    if body:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": ref(body)}},
        }
    if params:
        op["parameters"] = params
    return op


CREATED_ERRORS = {
    "409": answer("Code already in use", ref("Error")),
    "415": answer("Body is not JSON", ref("Error")),
    "422": answer("Invalid fields, named in error.fields", ref("Error")),
}

PATHS = {
    "/me": {"get": operation("Who the caller is", {"200": answer("The caller", ref("Me"))})},
    "/departments": {
        "get": operation(
            "List departments", {"200": answer("A page", listing("Department"))}, params=LIST_PARAMS
        ),
        "post": operation(
            "Create a department (admin)",
            {"201": answer("Created", ref("Department"))},
            body="DepartmentIn",
            extra=CREATED_ERRORS,
        ),
    },
    "/sites": {
        "get": operation(
            "List sites", {"200": answer("A page", listing("Site"))}, params=LIST_PARAMS
        ),
        "post": operation(
            "Create a site (admin)",
            {"201": answer("Created", ref("Site"))},
            body="SiteIn",
            extra=CREATED_ERRORS,
        ),
    },
}

UUID_PARAM = [{"name": "uuid", "in": "path", "required": True, "schema": schemas.UUID}]
ID_PARAM = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]
NOT_FOUND = {"404": answer("Not found, or not yours to see", ref("Error"))}
INVALID = {"422": answer("Invalid fields, named in error.fields", ref("Error"))}
INSPECTION_FILTERS = [
    *LIST_PARAMS,
    {"name": "from", "in": "query", "schema": {"type": "string", "format": "date"}},
    {"name": "to", "in": "query", "schema": {"type": "string", "format": "date"}},
    {"name": "department", "in": "query", "schema": {"type": "string"}},
    {
        "name": "status",
        "in": "query",
        "schema": {"enum": ["draft", "submitted", "returned", "approved"]},
    },
]

SCORE_PARAMS = [
    {
        "name": "from",
        "in": "query",
        "required": True,
        "schema": {"type": "string", "format": "date"},
    },
    {"name": "to", "in": "query", "required": True, "schema": {"type": "string", "format": "date"}},
    {
        "name": "final",
        "in": "query",
        "schema": {"type": "boolean", "default": False},
        "description": "true counts approved inspections only",
    },
    {"name": "format", "in": "query", "schema": {"enum": ["json", "csv", "xlsx"]}},
]
SCORE_CONTENT = {
    "application/json": {"schema": ref("ScoreSheet")},
    "text/csv": {"schema": {"type": "string"}},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "schema": {"type": "string", "format": "binary"}
    },
}

FINDING_FILTERS = [
    *LIST_PARAMS,
    {"name": "department", "in": "query", "schema": {"type": "string"}},
    {"name": "status", "in": "query", "schema": {"enum": ["open", "fixed", "closed"]}},
    {"name": "overdue", "in": "query", "schema": {"type": "boolean"}},
]
FINDING_STEP_ERRORS = {
    "409": answer("Not in a state for this step", ref("Error")),
    **NOT_FOUND,
    **INVALID,
}

PATHS.update(
    {
        "/findings": {
            "get": operation(
                "List findings the caller may see",
                {"200": answer("A page", listing("Finding"))},
                params=FINDING_FILTERS,
            ),
        },
        "/findings/{uuid}": {
            "get": operation(
                "One finding",
                {"200": answer("It", ref("Finding"))},
                params=UUID_PARAM,
                extra=NOT_FOUND,
            ),
            "put": operation(
                "Open a finding by hand with before photos; safe to repeat",
                {
                    "201": answer("Opened", ref("Finding")),
                    "200": answer("Updated, or the stored result of a repeat", ref("Finding")),
                },
                body="FindingIn",
                params=UUID_PARAM,
                extra=FINDING_STEP_ERRORS,
            ),
        },
        "/findings/{uuid}/fix": {
            "post": operation(
                "Mark fixed with after photos",
                {"200": answer("Fixed", ref("Finding"))},
                body="FixIn",
                params=UUID_PARAM,
                extra=FINDING_STEP_ERRORS,
            ),
        },
        "/findings/{uuid}/verify": {
            "post": operation(
                "Accept (closed) or reject (open again) a fix",
                {"200": answer("Verified", ref("Finding"))},
                body="VerifyIn",
                params=UUID_PARAM,
                extra=FINDING_STEP_ERRORS,
            ),
        },
        "/scores": {
            "get": operation(
                "Departments ranked over from..to (local dates, inclusive)",
                {"200": {"description": "The score sheet", "content": SCORE_CONTENT}},
                params=SCORE_PARAMS,
            ),
        },
        "/templates": {
            "get": operation(
                "List checklists (current versions; all=true for every version)",
                {"200": answer("A page", listing("Template"))},
                params=LIST_PARAMS,
            ),
            "post": operation(
                "Create a checklist, or a new version of its code (admin)",
                {"201": answer("Created", ref("Template"))},
                body="ChecklistIn",
                extra=INVALID,
            ),
        },
        "/templates/{id}": {
            "get": operation(
                "One checklist version",
                {"200": answer("It", ref("Template"))},
                params=ID_PARAM,
                extra=NOT_FOUND,
            ),
        },
        "/photos/{uuid}": {
            "put": {
                **operation(
                    "Upload a photo; the same bytes again answer 200",
                    {
                        "201": answer("Stored", ref("Photo")),
                        "200": answer("Already stored", ref("Photo")),
                    },
                    params=UUID_PARAM,
                    extra={
                        "409": answer("Other bytes under this id", ref("Error")),
                        "413": answer("Too large", ref("Error")),
                        "415": answer("Not JPEG, PNG, WebP or HEIC", ref("Error")),
                        "503": answer(
                            "Busy with other photos: send again after Retry-After", ref("Error")
                        ),
                        **INVALID,
                    },
                ),
                "requestBody": {
                    "required": True,
                    "content": {"multipart/form-data": {"schema": ref("PhotoIn")}},
                },
            },
        },
        "/inspections": {
            "get": operation(
                "List inspections the caller may read",
                {"200": answer("A page", listing("Inspection"))},
                params=INSPECTION_FILTERS,
            ),
        },
        "/inspections/{uuid}": {
            "get": operation(
                "One inspection",
                {"200": answer("It", ref("Inspection"))},
                params=UUID_PARAM,
                extra=NOT_FOUND,
            ),
            "put": operation(
                "Create, save or submit an inspection; safe to repeat",
                {
                    "201": answer("Created", ref("Inspection")),
                    "200": answer("Saved, or the stored result of a repeat", ref("Inspection")),
                },
                body="InspectionIn",
                params=UUID_PARAM,
                extra={
                    "409": answer("Already submitted with other content", ref("Error")),
                    **NOT_FOUND,
                    **INVALID,
                },
            ),
        },
        "/inspections/{uuid}/review": {
            "post": operation(
                "Approve or return a submitted inspection (supervisor, admin)",
                {"200": answer("Reviewed", ref("Inspection"))},
                body="ReviewIn",
                params=UUID_PARAM,
                extra={"409": answer("Not submitted", ref("Error")), **NOT_FOUND, **INVALID},
            ),
        },
    }
)

COMPONENTS = {
    "Me": schemas.ME_OUT,
    "Department": schemas.DEPARTMENT_OUT,
    "DepartmentIn": schemas.DEPARTMENT_IN,
    "Site": schemas.SITE_OUT,
    "SiteIn": schemas.SITE_IN,
    "Error": schemas.ERROR_OUT,
    "ChecklistIn": schemas.CHECKLIST_IN,
    "Template": schemas.TEMPLATE_OUT,
    "PhotoIn": schemas.PHOTO_IN,
    "Photo": schemas.PHOTO_OUT,
    "InspectionIn": schemas.INSPECTION_IN,
    "Inspection": schemas.INSPECTION_OUT,
    "ReviewIn": schemas.REVIEW_IN,
    "ScoreSheet": schemas.SCORE_SHEET,
    "FindingIn": schemas.FINDING_IN,
    "FixIn": schemas.FIX_IN,
    "VerifyIn": schemas.VERIFY_IN,
    "Finding": schemas.FINDING_OUT,
}


def build_spec(server_url):
    """Return the OpenAPI document for an API served at `server_url`."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "Inspector API", "version": "1"},
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}],
        "paths": PATHS,
        "components": {
            "schemas": COMPONENTS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }

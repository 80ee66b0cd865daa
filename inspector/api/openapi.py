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

COMPONENTS = {
    "Me": schemas.ME_OUT,
    "Department": schemas.DEPARTMENT_OUT,
    "DepartmentIn": schemas.DEPARTMENT_IN,
    "Site": schemas.SITE_OUT,
    "SiteIn": schemas.SITE_IN,
    "Error": schemas.ERROR_OUT,
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

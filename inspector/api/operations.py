"""Building blocks of openapi.json: an operation with every answer its kind of call may get.

`operation` adds the answers any call may get (400, 401, 429 with Retry-After) and those of
its kind (a JSON body: 403, 413, 415, 422); `listed`, `created`, `put_by_uuid`, `step` and
`got` are the shapes the API repeats, so no path block is copied by hand.
"""

from inspector.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from inspector.limits import CODE_LENGTH, MAX_ID
from inspector.periods import FIRST_DAY, LAST_DAY


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def answer(description, schema=None, media_type="application/json", headers=None):
    body = {"description": description}
    if schema is not None:
        body["content"] = {media_type: {"schema": schema}}
    if headers:
        body["headers"] = headers
    return body


def failure(description):
    return answer(description, ref("Error"))


def listing(name):
    return {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": ref(name)},
            "next": {"type": ["string", "null"], "format": "uri-reference"},
        },
        "required": ["items", "next"],
    }


def query(name, schema, description=None, required=False):
    parameter = {"name": name, "in": "query", "schema": schema, "required": required}
    if description:
        parameter["description"] = description
    return parameter


def path_parameter(name, schema):
    return [{"name": name, "in": "path", "required": True, "schema": schema}]


RETRY_AFTER = {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}}
EVERY_CALL = {
    "400": failure(
        "Malformed: a query parameter out of its bounds, a body that is not JSON or nests too "
        "deeply, or text holding U+0000"
    ),
    "401": failure("No or bad token"),
    "429": answer(
        "Too many failed token attempts from this address",
        ref("Error"),
        headers={"Retry-After": RETRY_AFTER},
    ),
    "503": answer(
        "The server is busy (no database connection came free in time, or the database's "
        "write lock stayed taken): nothing was changed; send again after Retry-After",
        ref("Error"),
        headers={"Retry-After": RETRY_AFTER},
    ),
}
CHANGE = {"403": failure("Your role may not do this (or, signed in by session: CSRF)")}
WITH_BODY = {
    "413": failure("Body over the size limit"),
    "415": failure("Body is not application/json"),
    "422": failure("Invalid fields, named in error.fields"),
}
NOT_FOUND = {"404": failure("Not found, or not yours to see")}


def conflict(description):
    return {"409": failure(description)}


def operation(op_id, tag, summary, ok, *, body=None, params=(), errors=None, description=None):
    """One operation: its own answers `ok` and `errors`, plus those every call may get."""
    op = {"operationId": op_id, "tags": [tag], "summary": summary}
    if description:
        op["description"] = description
    if params:
        op["parameters"] = list(params)
    responses = {**ok, **EVERY_CALL, **(errors or {})}
    if body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
        responses.update({**CHANGE, **WITH_BODY})
    op["responses"] = dict(sorted(responses.items()))
    return op


LIST_PARAMS = [
    query(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    ),
    query(
        "after",
        {"type": "integer", "minimum": 0, "maximum": MAX_ID},
        "Opaque cursor; follow the `next` link instead of setting it.",
    ),
]
DEPARTMENT = query("department", {"type": "string", "maxLength": CODE_LENGTH}, "A code")
DAY = {"type": "string", "format": "date", "maxLength": 10}
RANGE = f"Days run from {FIRST_DAY} to {LAST_DAY} (400 outside)."


def listed(op_id, tag, summary, name, params=()):
    """GET on a collection: a page of `name` records."""
    return operation(
        op_id,
        tag,
        summary,
        {"200": answer("A page", listing(name))},
        params=[*LIST_PARAMS, *params],
    )


def created(op_id, tag, summary, body, name, clash=None):
    """POST on a collection (admin): 201 with the record."""
    errors = conflict(clash) if clash else None
    return operation(
        op_id, tag, summary, {"201": answer("Created", ref(name))}, body=ref(body), errors=errors
    )


def put_by_uuid(op_id, tag, summary, body, name, clash):
    """An idempotent PUT by a client-chosen UUID: 201 made, 200 a repeat or an update."""
    ok = {
        "201": answer("Created", ref(name)),
        "200": answer("Saved, or the stored result of a repeat", ref(name)),
    }
    errors = {**NOT_FOUND, **conflict(clash)}
    return operation(op_id, tag, summary, ok, body=ref(body), errors=errors)


def step(op_id, tag, summary, body, name, clash):
    """POST /{kind}/{uuid}/{step}: one step of a record's life."""
    errors = {**NOT_FOUND, **conflict(clash)}
    return operation(
        op_id, tag, summary, {"200": answer("Done", ref(name))}, body=ref(body), errors=errors
    )


def got(op_id, tag, summary, name):
    """GET one record by its path id."""
    return operation(op_id, tag, summary, {"200": answer("It", ref(name))}, errors=NOT_FOUND)

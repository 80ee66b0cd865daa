"""openapi.json for the assessment year: activities, files, frameworks, marks, evaluation."""

from inspector.api import assessment_schemas as schemas
from inspector.api.operations import (
    CHANGE,
    DAY,
    DEPARTMENT,
    NOT_FOUND,
    RANGE,
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
)
from inspector.api.schemas import ID, UUID
from inspector.limits import CODE_LENGTH
from inspector.scores.exports import XLSX

ACTIVITY_FILTERS = [
    query("from", DAY, f"On or after this day. {RANGE}"),
    query("to", DAY, "On or before this day."),
    query("kind", {"type": "string", "maxLength": CODE_LENGTH}, "A kind's code"),
    DEPARTMENT,
]
ALL_VERSIONS = [query("all", {"type": "boolean", "default": False}, "true lists every version")]
ALL_KINDS = [query("all", {"type": "boolean", "default": False}, "true lists retired kinds too")]
EVALUATION_PARAMS = [
    query("year", {"type": "integer", "minimum": 2000, "maximum": 2100},
          "The year evaluated (default: the framework's)"),
    query("department", {"type": "string", "maxLength": CODE_LENGTH},
          "A department's code (404 when unknown); omitted: the whole unit"),
]  # fmt: skip
FRAMEWORK_ID = path_parameter("id", ID)


def file_upload():
    ok = {
        "201": answer("Stored", ref("File")),
        "200": answer("Already stored: the same bytes again", ref("File")),
    }
    errors = {
        **CHANGE,
        **NOT_FOUND,
        **conflict("Other bytes under this id"),
        "413": failure("Over the size limit"),
        "415": failure("Not a PDF, DOCX, XLSX or image, by its bytes"),
        "422": failure("No file, or a damaged image"),
    }
    op = operation("putFile", "activities", "Upload a document; safe to repeat", ok, errors=errors)
    op["requestBody"] = {
        "required": True,
        "content": {"multipart/form-data": {"schema": ref("FileIn")}},
    }
    return op


def framework_import():
    op = created(
        "createFramework", "frameworks",
        "Import a framework as JSON or an XLSX workbook (admin); a code again is a new version",
        "FrameworkIn", "Framework",
    )  # fmt: skip
    op["requestBody"]["content"]["multipart/form-data"] = {"schema": ref("FrameworkFileIn")}
    op["description"] = "A bad row of a workbook is a 422 naming its row and column."
    return op


PATHS = {
    "/activities": {
        "get": listed("listActivities", "activities", "List activities", "Activity",
                      ACTIVITY_FILTERS),
    },
    "/activities/{uuid}": {
        "parameters": path_parameter("uuid", UUID),
        "get": got("getActivity", "activities", "One activity", "Activity"),
        "put": put_by_uuid(
            "putActivity", "activities",
            "Record an activity, or change one you recorded (audited); safe to repeat",
            "ActivityIn", "Activity", "Unused: a changed body by its author is an edit",
        ),
    },
    "/activity-kinds": {
        "get": listed("listActivityKinds", "activities", "List kinds of activity", "ActivityKind",
                      ALL_KINDS),
    },
    "/files/{uuid}": {"parameters": path_parameter("uuid", UUID), "put": file_upload()},
    "/frameworks": {
        "get": listed("listFrameworks", "frameworks", "List frameworks (current versions)",
                      "Framework", ALL_VERSIONS),
        "post": framework_import(),
    },
    "/frameworks/{id}": {
        "parameters": FRAMEWORK_ID,
        "get": got("getFramework", "frameworks", "One framework version", "Framework"),
    },
    "/frameworks/{id}/marks": {
        "parameters": FRAMEWORK_ID,
        "post": operation(
            "markIndicator", "frameworks",
            "Mark a material, survey or veto indicator (supervisor, admin)",
            {"201": answer("Recorded; the newest mark counts", ref("Mark"))},
            body=ref("MarkIn"), errors=NOT_FOUND,
        ),
    },
    "/frameworks/{id}/close": {
        "parameters": FRAMEWORK_ID,
        "post": operation(
            "closeEvaluation", "frameworks",
            "Close the year's evaluation: the results are kept as they are now (supervisor, "
            "admin); marks are then refused (409 period_closed)",
            {"200": answer("Closed: the unit's evaluation, \"closed\": true", ref("Evaluation"))},
            params=EVALUATION_PARAMS[:1], errors={**CHANGE, **NOT_FOUND,
                                                  **conflict("Already closed")},
        ),
    },
    "/frameworks/{id}/reopen": {
        "parameters": FRAMEWORK_ID,
        "post": operation(
            "reopenEvaluation", "frameworks",
            "Reopen a closed year: the evaluation follows the records again (admin)",
            {"200": answer("Open: the unit's evaluation, \"closed\": false", ref("Evaluation"))},
            params=EVALUATION_PARAMS[:1], errors={**CHANGE, **NOT_FOUND,
                                                  **conflict("Not closed")},
        ),
    },
    "/frameworks/{id}/evaluation": {
        "parameters": FRAMEWORK_ID,
        "get": operation(
            "getEvaluation", "frameworks", "The year's evaluation, per indicator",
            {"200": {"description": "The evaluation; an Excel workbook with format=xlsx",
                     "content": {"application/json": {"schema": ref("Evaluation")},
                                 XLSX: {"schema": {"type": "string", "format": "binary"}}}}},
            params=[*EVALUATION_PARAMS, query("format", {"enum": ["json", "xlsx"],
                                                         "default": "json"})],
            errors=NOT_FOUND,
        ),
    },
}  # fmt: skip

COMPONENTS = {
    "ActivityIn": schemas.ACTIVITY_IN,
    "Activity": schemas.ACTIVITY,
    "ActivityKind": schemas.ACTIVITY_KIND,
    "FileIn": schemas.FILE_IN,
    "File": schemas.FILE,
    "FrameworkIn": schemas.FRAMEWORK_IN,
    "FrameworkFileIn": schemas.FRAMEWORK_FILE_IN,
    "Framework": schemas.FRAMEWORK,
    "MarkIn": schemas.MARK_IN,
    "Mark": schemas.MARK,
    "Evaluation": schemas.EVALUATION,
}
TAGS = [
    {"name": "activities", "description": "Activity records (活动记录) and attached documents"},
    {"name": "frameworks", "description": "Evaluation frameworks (测评体系), marks, evaluations"},
]

"""openapi.json tells the truth: what it says the server answers, the server answers, and a
client generated from it (openapi-python-client) works for every operation."""

import importlib
import io
import json
import os
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from inspector.api.openapi import build_spec
from inspector.demo.checklists import OFFICE_WEEKLY
from inspector.extensions import db
from inspector.limits import MAX_ID
from inspector.models import Role
from tests import factories
from tests.images import jpeg_bytes
from tests.liveserver import serving

ROOT = Path(__file__).resolve().parents[2]
SPEC = build_spec("http://127.0.0.1/api/v1")
OPERATIONS = [
    (path, method, op)
    for path, item in SPEC["paths"].items()
    for method, op in item.items()
    if method != "parameters"
]


def conforms(document, name):
    """Raise unless `document` fits the component schema `name`, formats included."""
    schema = {**SPEC, "$ref": f"#/components/schemas/{name}"}
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(
        document
    )


def test_every_operation_has_a_unique_id_and_a_tag():
    ids = [op["operationId"] for _path, _method, op in OPERATIONS]
    assert len(ids) == len(set(ids))
    tags = {tag["name"] for tag in SPEC["tags"]}
    assert all(op["tags"] and set(op["tags"]) <= tags for _p, _m, op in OPERATIONS)


@pytest.mark.parametrize("path, method, op", OPERATIONS, ids=lambda v: str(v)[:40])
def test_every_answer_the_server_may_give_is_documented(path, method, op):
    responses = op["responses"]
    assert {"400", "401", "429", "503"} <= set(responses)
    # A busy server (inspector/errors.py: pool or lock timeout) may answer any call 503.
    assert "Retry-After" in responses["429"]["headers"]
    assert "Retry-After" in responses["503"]["headers"]
    if "requestBody" in op:
        assert {"403", "413", "415", "422"} <= set(responses)
    if "{" in path:
        assert "404" in responses


def test_the_rules_the_server_enforces_are_described():
    schemas = SPEC["components"]["schemas"]
    for name, decision in (("ReviewIn", "return"), ("VerifyIn", "reject")):
        assert schemas[name]["if"]["properties"]["decision"]["const"] == decision
        assert schemas[name]["then"]["required"] == ["comment"]
    assert schemas["FixIn"]["properties"]["after_photos"]["minItems"] == 1
    assert schemas["PhotoIn"]["properties"]["lat"] == {
        "type": "number",
        "minimum": -90,
        "maximum": 90,
    }
    lon = schemas["InspectionIn"]["properties"]["location"]["anyOf"][0]["properties"]["lon"]
    assert (lon["minimum"], lon["maximum"]) == (-180, 180)
    assert schemas["Inspection"]["properties"]["submitted_at"]["format"] == "date-time"
    assert schemas["Photo"]["properties"]["taken_at"]["format"] == "date-time"
    sites = SPEC["paths"]["/sites"]["get"]["parameters"]
    after = next(p for p in sites if p["name"] == "after")["schema"]
    assert (after["minimum"], after["maximum"]) == (0, MAX_ID)
    listing = SPEC["paths"]["/templates"]["get"]["parameters"]
    assert {"all", "code"} <= {p["name"] for p in listing}
    scores = SPEC["paths"]["/scores"]["get"]["parameters"]
    assert "before" in next(p for p in scores if p["name"] == "to")["description"]


@pytest.fixture
def world(app):
    department = factories.new_department(code="finance")
    factories.new_site(department=department, code="A-302")
    checklist = factories.new_checklist()
    db.session.commit()
    return checklist


def test_answers_fit_their_own_schemas(api, world):
    user = api.as_role(Role.ADMIN)
    photo, after = factories.new_photo(user), factories.new_photo(user)
    db.session.commit()
    conforms(api.get(f"/api/v1/templates/{world.id}").json, "Template")
    conforms(api.get("/api/v1/me").json, "Me")
    conforms(api.get("/api/v1/sites").json["items"][0], "Site")
    conforms(api.get("/api/v1/departments").json["items"][0], "Department")
    responses = [{"item": "remarks", "answer": "好"}, {"item": "windows", "answer": 2}]
    body = {"template": world.id, "site": "A-302", "started_at": "2026-11-23T09:00:00+08:00",
            "responses": responses, "submit": False}  # fmt: skip
    inspection = api.put(f"/api/v1/inspections/{uuid.uuid4()}", json=body)
    conforms(inspection.json, "Inspection")
    finding = {"site": "A-302", "title": "乱堆乱放", "before_photos": [photo.uuid]}
    target = f"/api/v1/findings/{uuid.uuid4()}"
    conforms(api.put(target, json=finding).json, "Finding")
    conforms(api.post(f"{target}/fix", json={"after_photos": [after.uuid]}).json, "Finding")
    conforms(api.get("/api/v1/scores?from=2026-11-01&to=2026-11-30").json, "ScoreSheet")
    conforms(api.get("/api/v1/templates/999").json, "Error")


# --- a generated client -------------------------------------------------------------------


@pytest.fixture(scope="session")
def generated_client(tmp_path_factory):
    """openapi-python-client's client of openapi.json, generated once per run: (package, output)."""
    folder = tmp_path_factory.mktemp("client")
    spec = folder / "openapi.json"
    spec.write_text(json.dumps(SPEC))
    bin_dir = Path(sys.executable).parent
    result = subprocess.run(  # noqa: S603  (our own tool, our own arguments)
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(spec),
            "--output-path",
            str(folder / "inspector_client"),
            "--meta",
            "none",
            "--config",
            str(ROOT / "docs/openapi-client.yaml"),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
        check=False,
    )
    return folder, result.returncode, result.stdout + result.stderr


def test_a_client_is_generated_without_warnings(generated_client):
    _folder, code, output = generated_client
    assert code == 0, output
    assert "warning" not in output.lower(), output


@pytest.fixture
def served(app):
    """The app on a loopback port, in a thread, for the generated client to call."""
    with serving(app) as url:
        yield f"{url}/api/v1"


@pytest.fixture
def client_package(generated_client):
    folder, code, output = generated_client
    assert code == 0, output
    sys.path.insert(0, str(folder))
    try:
        package = importlib.import_module("inspector_client")
        importlib.import_module("inspector_client.models")
        yield package
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n.split(".")[0] == "inspector_client"]:
            del sys.modules[name]


def call(package, module, **kwargs):
    """Call operation `module` (tag.operation) and return its parsed answer."""
    operation = importlib.import_module(f"inspector_client.api.{module}")
    response = operation.sync_detailed(**kwargs)
    assert 200 <= response.status_code < 300, (module, response.status_code, response.content)
    return response.parsed


def test_the_generated_client_works_for_every_operation(client_package, served, api):
    models = client_package.models
    admin = api.as_role(Role.ADMIN)
    client = client_package.AuthenticatedClient(base_url=served, token=api.token)
    with client:
        run_every_operation(client_package, models, client)
    assert admin.username


def run_every_operation(package, models, client):  # noqa: PLR0915  (one line per operation)
    from inspector_client.types import File

    me = call(package, "me.get_me", client=client)
    assert me.role.value == "admin"
    call(package, "organization.create_department", client=client,
         body=models.DepartmentIn(code="finance", name="财务科"))  # fmt: skip
    assert [
        d.code for d in call(package, "organization.list_departments", client=client).items
    ] == ["finance"]
    site = models.SiteIn(
        code="A-302", name="A区", kind=models.SiteInKind.OFFICE, department="finance"
    )
    call(package, "organization.create_site", client=client, body=site)
    assert call(package, "organization.list_sites", client=client, limit=1).items[0].code == "A-302"
    template = call(package, "templates.create_template", client=client,
                    body=models.ChecklistIn.from_dict(OFFICE_WEEKLY))  # fmt: skip
    assert (
        call(package, "templates.get_template", client=client, id=template.id).code == template.code
    )
    assert len(call(package, "templates.list_templates", client=client, all_=True).items) == 1
    photo_id = str(uuid.uuid4())
    upload = models.PhotoIn(
        file=File(payload=io.BytesIO(jpeg_bytes()), file_name="p.jpg", mime_type="image/jpeg"),
        taken_at=datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
        lat=30.5,
        lon=104.0,
    )
    photo = call(package, "photos.put_photo", client=client, uuid=photo_id, body=upload)
    assert photo.width == 640
    inspection_id = str(uuid.uuid4())
    body = models.InspectionIn.from_dict({
        "template": template.id, "site": "A-302", "started_at": "2026-11-23T09:00:00+08:00",
        "submitted_at": "2026-11-23T10:00:00+08:00", "submit": True,
        "responses": [{"item": item["key"], "answer": answer_for(item), "photos": [photo_id]}
                      for section in OFFICE_WEEKLY["sections"] for item in section["items"]],
    })  # fmt: skip
    inspection = call(
        package, "inspections.put_inspection", client=client, uuid=inspection_id, body=body
    )
    assert inspection.status.value == "submitted" and inspection.score.percent == 100.0
    assert (
        call(package, "inspections.get_inspection", client=client, uuid=inspection_id).id
        == inspection_id
    )
    listed = call(package, "inspections.list_inspections", client=client,
                  from_=date(2026, 11, 23), to=date(2026, 11, 23))  # fmt: skip
    assert [i.id for i in listed.items] == [inspection_id]
    report = call(package, "inspections.get_inspection_report", client=client, uuid=inspection_id)
    assert report.payload.read(5) == b"%PDF-"
    reviewed = call(package, "inspections.review_inspection", client=client, uuid=inspection_id,
                    body=models.ReviewIn(decision=models.ReviewInDecision.APPROVE))  # fmt: skip
    assert reviewed.status.value == "approved"
    sheet = call(package, "scores.get_scores", client=client, from_=date(2026, 11, 1),
                 to=date(2026, 11, 30), final=True)  # fmt: skip
    assert sheet.departments[0].percent == 100.0
    csv_text = call(package, "scores.download_scores_csv", client=client,
                    from_=date(2026, 11, 1), to=date(2026, 11, 30))  # fmt: skip
    assert "finance" in csv_text
    xlsx = call(package, "scores.download_scores_xlsx", client=client,
                from_=date(2026, 11, 1), to=date(2026, 11, 30))  # fmt: skip
    assert xlsx.payload.read(2) == b"PK"
    finding_id = str(uuid.uuid4())
    before = models.FindingIn(site="A-302", title="乱堆乱放", before_photos=[photo_id])
    opened = call(package, "findings.put_finding", client=client, uuid=finding_id, body=before)
    assert opened.status.value == "open"
    assert call(package, "findings.get_finding", client=client, uuid=finding_id).title == "乱堆乱放"
    assert len(call(package, "findings.list_findings", client=client, overdue=False).items) == 1
    after_id = str(uuid.uuid4())
    upload.file.payload.seek(0)
    call(package, "photos.put_photo", client=client, uuid=after_id, body=upload)
    call(package, "findings.fix_finding", client=client, uuid=finding_id,
         body=models.FixIn(after_photos=[after_id], note="已清理"))  # fmt: skip
    verified = call(package, "findings.verify_finding", client=client, uuid=finding_id,
                    body=models.VerifyIn(decision=models.VerifyInDecision.ACCEPT))  # fmt: skip
    assert verified.status.value == "closed"


def answer_for(item):
    return {"check": "pass", "scale": item.get("points"), "deduct": {"count": 0}}.get(
        item["type"], "好"
    )

"""Schemathesis: requests generated from openapi.json, sent in-process to the app (WSGI).

Every operation, as an admin, an inspector and a lead, with data that fits the document and
data that does not. Any 5xx, a status the document does not list, or an answer that breaks
its documented schema fails the suite. Deterministic (a fixed seed, derandomized, no example
database) and bounded: MAX_EXAMPLES per operation and kind of data.
"""

import os
import shutil
import uuid
from datetime import UTC, datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from inspector import create_app
from inspector.api.openapi import build_spec
from inspector.demo.checklists import OFFICE_WEEKLY
from inspector.extensions import db
from inspector.models import Role
from tests import factories
from tests.conftest import DATABASES, TEST_CONFIG

BASE_URL = "http://localhost/api/v1"
SCHEMA = schemathesis.openapi.from_dict(build_spec(BASE_URL))
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
ROLES = (Role.ADMIN, Role.INSPECTOR, Role.LEAD)
# 15 in make test (every operation, both databases, within the suite's time); make fuzz: 100.
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "15"))
SEED = 20261124
GOOD_QUERY = {"from": "2026-11-01", "to": "2026-11-30"}
GOOD_BODY = {
    "started_at": "2026-11-23T09:00:00+08:00",
    "submitted_at": "2026-11-23T10:00:00+08:00",
    "due": "2026-11-30",
    "responses": [
        {
            "item": item["key"],
            "answer": {"check": "pass", "scale": 0, "deduct": {"count": 1}}.get(item["type"], "好"),
        }
        for section in OFFICE_WEEKLY["sections"]
        for item in section["items"]
    ],
}


@pytest.fixture(scope="module", params=DATABASES)
def world(request, tmp_path_factory, migrated_db):
    """One app on a seeded database of each kind for the module: records for ids to resolve."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("schemathesis") / "db.sqlite3"
        shutil.copy(migrated_db, path)
        url = f"sqlite:///{path}"
    else:
        server = request.getfixturevalue("postgres")
        server.execute("CREATE DATABASE inspector_schemathesis TEMPLATE inspector_template")
        url = server.url("inspector_schemathesis")
    app = create_app({**TEST_CONFIG, "DATABASE_URL": url})
    with app.app_context():
        refs = seed_records(app)
        db.session.commit()
        db.session.remove()
    yield app, refs
    with app.app_context():
        db.engine.dispose()
    if request.param != "sqlite":
        server.execute("DROP DATABASE inspector_schemathesis WITH (FORCE)")


def seed_records(app):
    """A department with a lead, sites, a checklist, inspections, photos and findings."""
    from inspector.findings.services import fix_finding, save_finding
    from inspector.inspections.services import save_inspection

    finance = factories.new_department(code="finance")
    site = factories.new_site(department=finance, code="A-302")
    factories.new_site(code="B-1")
    checklist = factories.new_checklist()
    users = {role: factories.new_user(role, department=finance) for role in ROLES}
    tokens = {role: factories.new_token(user) for role, user in users.items()}
    inspector = users[Role.INSPECTOR]
    photos = [factories.new_photo(inspector).uuid for _ in range(3)]
    body = {"template": checklist.id, "site": site.code, "started_at": "2026-11-23T09:00:00+08:00",
            "responses": [{"item": "desk-dust", "answer": "fail", "photos": photos[:1]}],
            "submit": False}  # fmt: skip
    draft, _ = save_inspection(inspector, str(uuid.uuid4()), body, app.config)
    submitted = factories.new_inspection(site, 80.0, datetime.now(UTC), inspector=inspector)
    finding, _ = save_finding(
        inspector,
        str(uuid.uuid4()),
        {"site": site.code, "title": "乱堆乱放", "before_photos": photos[1:2]},
        app.config,
    )
    fixed, _ = save_finding(inspector, str(uuid.uuid4()), {"site": site.code, "title": "堆物"},
                            app.config)  # fmt: skip
    fix_finding(users[Role.ADMIN], fixed, photos[2:], "已清理")
    return {
        "tokens": tokens,
        "uuid": {
            "inspections": [draft.uuid, submitted.uuid],
            "findings": [finding.uuid, fixed.uuid],
            "photos": photos,
        },
        "id": [checklist.id],
        "template": checklist.id,
        "site": site.code,
        "photos": photos,
    }


def known_ids(operation, refs):
    """Path parameters naming seeded records, for this operation's path."""
    resource = operation.path.strip("/").split("/")[0]
    if "{uuid}" in operation.path:
        return [{"uuid": value} for value in refs["uuid"].get(resource, [])]
    if "{id}" in operation.path:
        return [{"id": value} for value in refs["id"]]
    return []


def with_references(case, refs):
    """Point a generated request at seeded records and sane dates, to get past the first 4xx."""
    if isinstance(case.query, dict):
        case.query.update({k: v for k, v in GOOD_QUERY.items() if k in case.query})
    if not isinstance(case.body, dict):
        return case
    good = {
        **GOOD_BODY,
        "template": refs["template"],
        "site": refs["site"],
        "before_photos": refs["photos"][:1],
        "after_photos": refs["photos"][:1],
    }
    case.body.update({field: value for field, value in good.items() if field in case.body})
    return case


def cases(operation, refs):
    """Positive and negative cases, some aimed at seeded records and references."""

    def aimed(strategy):
        return strategy.map(lambda case: with_references(case, refs))

    choices = [operation.as_strategy(), operation.as_strategy(GenerationMode.NEGATIVE)]
    choices.append(aimed(operation.as_strategy()))
    for ids in known_ids(operation, refs):
        choices += [operation.as_strategy(path_parameters=ids)]
        choices += [aimed(operation.as_strategy(path_parameters=ids))]
    return st.one_of(choices)


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_operation_keeps_its_documented_promises(world, operation):
    app, refs = world

    @seed(SEED)
    @settings(
        max_examples=MAX_EXAMPLES * 3,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases(operation, refs), role=st.sampled_from(ROLES))
    def run(case, role):
        headers = {"Authorization": f"Bearer {refs['tokens'][role]}"}
        case.call_and_validate(base_url=BASE_URL, app=app, headers=headers, checks=CHECKS)

    run()

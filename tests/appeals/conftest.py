"""An office inspection of each of two departments, submitted yesterday, and their people."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from inspector.extensions import db
from inspector.models import Role
from tests import factories
from tests.factories import ALL_PASS, replace


class People:
    """Call the API as one of the world's users, each with a real bearer token."""

    def __init__(self, client, users):
        self.client = client
        self.users = users
        self.tokens = {name: factories.new_token(user) for name, user in users.items()}
        db.session.commit()

    def call(self, who, method, url, **kwargs):
        headers = {"Authorization": f"Bearer {self.tokens[who]}"}
        return self.client.open(url, method=method, headers=headers, **kwargs)


def submit(people, who, site, responses, submitted_at):
    checklist = people.checklist
    body = {
        "template": checklist.id,
        "site": site,
        "started_at": submitted_at.isoformat(),
        "submitted_at": submitted_at.isoformat(),
        "responses": responses,
        "submit": True,
    }
    answer = people.call(who, "PUT", f"/api/v1/inspections/{uuid.uuid4()}", json=body)
    assert answer.status_code == 201, answer.text
    people.bodies[answer.json["id"]] = body
    return answer.json


@pytest.fixture
def world(app, client):
    """Finance (inspection A: smoking failed, 2 litter) and works (B: windows 1 of 3)."""
    finance = factories.new_department(code="finance", name="财务科")
    works = factories.new_department(code="works", name="工程科")
    factories.new_site(department=finance, code="F-1")
    factories.new_site(department=works, code="W-1")
    checklist = factories.new_checklist()
    inspector = factories.new_user(Role.INSPECTOR, username="zhang")
    users = {
        "inspector": inspector,
        "other_inspector": factories.new_user(Role.INSPECTOR, username="li"),
        "lead": factories.new_user(Role.LEAD, department=finance, username="lead-finance"),
        "deputy": factories.new_user(Role.LEAD, department=finance, username="deputy-finance"),
        "other_lead": factories.new_user(Role.LEAD, department=works, username="lead-works"),
        "supervisor": factories.new_user(Role.SUPERVISOR, username="wang"),
        "admin": factories.new_user(Role.ADMIN, username="root"),
    }
    photo = factories.new_photo(inspector)
    people = People(client, users)
    people.checklist = checklist
    people.bodies = {}
    people.when = datetime.now(UTC) - timedelta(days=1)
    a = replace(ALL_PASS, "smoking", answer="fail", photos=[photo.uuid])
    a = replace(a, "litter", answer={"count": 2})
    people.a = submit(people, "inspector", "F-1", a, people.when)
    people.b = submit(people, "inspector", "W-1", replace(ALL_PASS, "windows", answer=1),
                      people.when)  # fmt: skip
    return people


def appeal_body(inspection, item, reason="当时吸烟者是来访人员，已劝离", **extra):
    return {"inspection": inspection["id"], "item": item, "reason": reason, **extra}

"""Two workers, every write path: a cached sheet is never older than the database.

Each worker keeps its own cache (inspector.scores.cache). Worker B reads the sheets first, so
they are cached; worker A then makes one change through the web or the API; B's next answer
must equal a computation from scratch. One case per way the product changes scored data.
"""

import re
import uuid

import pytest

from inspector import create_app
from inspector.clock import local_now
from inspector.extensions import db
from inspector.models import ClosedPeriod, Department, Role
from inspector.periods import period_containing
from inspector.scores import closing
from inspector.scores.history import sheet_with_history
from inspector.scores.hotspots import hot_spots
from tests import factories
from tests.conftest import TEST_CONFIG
from tests.factories import ALL_PASS, replace


def answers(world):
    week = period_containing(local_now().date(), "week")
    return {
        "sheet": closing.score_sheet(week.first, week.last, False, world["app"].config),
        "final": closing.score_sheet(week.first, week.last, True, world["app"].config),
        "history": sheet_with_history(week, False, world["app"].config),
        "spots": hot_spots(week.first, week.last, world["app"].config),
    }


def sheet_page(client):
    """The web score sheet of this week as a supervisor reads it, without its CSRF tokens."""
    page = client.get(f"/scores/?period={period_containing(local_now().date(), 'week').key}")
    assert page.status_code == 200
    return re.sub(r'name="csrf_token" value="[^"]*"', "", page.text)


def read(worker, client=None):
    """What `worker` answers now, in a fresh request's session, and what it should answer:
    its sheets, and (with a signed-in `client` of it) the web page showing them."""
    with worker.app_context():
        cached = answers({"app": worker})
        cached["page"] = client and sheet_page(client)
        worker.config["SCORE_CACHE"] = False
        fresh = answers({"app": worker})
        fresh["page"] = client and sheet_page(client)
        worker.config["SCORE_CACHE"] = True
        db.session.remove()
    return cached, fresh


class World:
    def __init__(self, app):
        self.app = app
        self.department = factories.new_department(code="a", name="甲科")
        factories.new_site(department=self.department, code="s1")
        # A department no write touches: its row is kept, not read again (scores.kept).
        factories.new_site(department=factories.new_department(code="b", name="乙科"), code="s2")
        self.checklist = factories.new_checklist()
        self.users = {role: factories.new_user(role=role) for role in Role if role != Role.LEAD}
        self.tokens = {role: factories.new_token(user) for role, user in self.users.items()}
        db.session.commit()
        self.clients = {}
        self.submitted = self.put(self.body(replace(ALL_PASS, "floor-spit", answer={"count": 2})))
        self.put({**self.body(replace(ALL_PASS, "litter", answer={"count": 1})), "site": "s2"})
        self.returned = self.put(self.body(ALL_PASS))
        self.api(
            "post",
            f"/api/v1/inspections/{self.returned}/review",
            Role.SUPERVISOR,
            json={"decision": "return", "comment": "Again"},
        )

    def body(self, responses, submit=True):
        return {
            "template": self.checklist.id,
            "site": "s1",
            "started_at": local_now().isoformat(),
            "responses": responses,
            "submit": submit,
        }

    def api(self, method, url, role, **kwargs):
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        response = getattr(self.app.test_client(), method)(url, headers=headers, **kwargs)
        assert response.status_code < 300, response.text
        return response

    def put(self, body, ident=None):
        ident = ident or str(uuid.uuid4())
        self.api("put", f"/api/v1/inspections/{ident}", Role.INSPECTOR, json=body)
        return ident

    def web(self, role):
        if role not in self.clients:
            client = self.app.test_client()
            client.post(
                "/login",
                data={"username": self.users[role].username, "password": factories.PASSWORD},
            )
            self.clients[role] = client
        return self.clients[role]

    def post(self, role, url, **data):
        response = self.web(role).post(url, data=data)
        assert response.status_code in (302, 303), response.text
        return response

    def week(self):
        return period_containing(local_now().date(), "week")


def phone_submit(world):
    """As the field app submits: the signed-in session and its CSRF token."""
    client = world.web(Role.INSPECTOR)
    token = client.get("/field/data.json").json["csrf_token"]
    body = world.body(replace(ALL_PASS, "floor-spit", answer={"count": 2}))
    response = client.put(
        f"/api/v1/inspections/{uuid.uuid4()}", json=body, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 201, response.text


def close_week(world):
    world.post(
        Role.SUPERVISOR, f"/scores/close?period={world.week().key}", confirm="yes", early="yes"
    )


def reopen_week(world):
    close_week(world)
    closed = db.session.query(ClosedPeriod).one()
    world.read_between()
    world.post(Role.ADMIN, f"/scores/reopen/{closed.id}")


def rename_department(world):
    world.post(
        Role.ADMIN,
        f"/admin/departments/{world.department.id}",
        code="a",
        name="甲科（新）",
        active="y",
    )


def deactivate_department(world):
    other = factories.new_department(code="z")
    db.session.commit()
    world.read_between()
    world.post(Role.ADMIN, f"/admin/departments/{other.id}", code="z", name="Z")


WRITES = {
    "api submit": lambda w: w.put(w.body(replace(ALL_PASS, "litter", answer={"count": 3}))),
    "phone submit": phone_submit,
    "api approve": lambda w: w.api(
        "post",
        f"/api/v1/inspections/{w.submitted}/review",
        Role.SUPERVISOR,
        json={"decision": "approve"},
    ),
    "api return": lambda w: w.api(
        "post",
        f"/api/v1/inspections/{w.submitted}/review",
        Role.SUPERVISOR,
        json={"decision": "return", "comment": "x"},
    ),
    "web approve": lambda w: w.post(
        Role.SUPERVISOR, f"/inspections/{w.submitted}/decision", decision="approve"
    ),
    "web return": lambda w: w.post(
        Role.SUPERVISOR, f"/inspections/{w.submitted}/decision", decision="return", comment="Photos"
    ),
    "api correction": lambda w: w.put(w.body(replace(ALL_PASS, "windows", answer=1)), w.returned),
    "api new department": lambda w: w.api(
        "post", "/api/v1/departments", Role.ADMIN, json={"code": "new", "name": "新科"}
    ),
    "web rename department": rename_department,
    "web deactivate department": deactivate_department,
    "api new checklist version": lambda w: w.api(
        "post",
        "/api/v1/templates",
        Role.ADMIN,
        json={**w.checklist_document(), "name": "办公环境周检（修订）"},
    ),
    "web close": close_week,
    "web reopen": reopen_week,
    # Only the web page shows findings: its cached HTML must follow them too.
    "api open finding": lambda w: w.api(
        "put", f"/api/v1/findings/{uuid.uuid4()}", Role.INSPECTOR, json={"site": "s1", "title": "x"}
    ),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_the_other_worker_sees_every_change_at_once(app, write):
    world = World(app)
    other = create_app({**TEST_CONFIG, "DATABASE_URL": app.config["DATABASE_URL"]})
    supervisor = other.test_client()
    username = world.users[Role.SUPERVISOR].username
    supervisor.post("/login", data={"username": username, "password": factories.PASSWORD})
    db.session.rollback()  # the sign-in wrote: a later write here must not start from before it
    seen = [read(other, supervisor)[0]]  # cached in the other worker from here

    def read_between():
        cached, fresh = read(other, supervisor)
        assert cached == fresh
        seen.append(cached)

    def checklist_document():
        from inspector.checklists.services import checklist_document as document

        return document(world.checklist)

    world.read_between, world.checklist_document = read_between, checklist_document
    write(world)
    cached, fresh = read(other, supervisor)
    assert cached == fresh
    # The change shows (a new checklist version changes no number: it only moves the counter).
    assert cached != seen[-1] or write is WRITES["api new checklist version"]
    with other.app_context():
        db.engine.dispose()
    assert db.session.query(Department).count() >= 1

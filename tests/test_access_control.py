"""Access control as a table (ASVS V4): every role × every route, from tests/access_control.csv.

Each row names a route (endpoint and method), the path to call and the expected answer for each
role: `ok` (allowed: the request is served, or refused only for its content: 400, 409, 422),
`deny` (403), `hide` (404: the record is not revealed) or `login` (sign in first: a redirect to
the sign-in page, or 401 from the API). A route of the app without a row fails the suite, so a
new endpoint cannot ship without its permissions being decided.

The records: departments D and E, a site in each; an inspector who made a draft, a submitted
inspection and a finding at D's site (with a photo); another inspector; the lead of D and the
lead of E; a supervisor; an admin; a checklist, a campaign and a closed week. Web pages are
called with a signed-in session, the API with each role's bearer token. Every state-changing
request runs on a fresh copy of the database, so one role's change cannot affect the next.

ACCESS_TABLE_WRITE=1 writes the observed answers to the file instead (then review every row).
"""

import csv
import io
import os
import shutil
import time
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from sqlalchemy import func, select

from inspector import create_app
from inspector.extensions import db
from inspector.models import ApiToken, Finding, Inspection, Role, User
from inspector.periods import parse_period
from inspector.scores.closing import close_period
from tests import factories
from tests.conftest import TEST_CONFIG, IsolatedClient
from tests.images import jpeg_bytes
from tests.notifications.records import access_records

TABLE = Path(__file__).with_name("access_control.csv")
ROLES = ["anonymous", "inspector", "other_inspector", "lead", "other_lead", "supervisor", "admin"]
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def outcome(response, api):
    status = response.status_code
    if status in (401,) or (status in (302, 303) and "/login" in response.location and not api):
        return "login"
    if status == 403 and not (response.is_json and response.json["error"]["code"] == "csrf"):
        return "deny"
    if status == 404:
        return "hide"
    if status < 500 and status not in (401, 403, 404):
        return "ok"
    return f"status {status}"


def build_records(app):
    """Make the records; answer the values for the table's {placeholders} and who is who."""
    d = factories.new_department(code="d", name="D")
    e = factories.new_department(code="e", name="E")
    site_d = factories.new_site(department=d, code="sd")
    factories.new_site(department=e, code="se")
    users = {
        "inspector": factories.new_user(Role.INSPECTOR, username="insp"),
        "other_inspector": factories.new_user(Role.INSPECTOR, username="insp2"),
        "lead": factories.new_user(Role.LEAD, department=d, username="lead-d"),
        "other_lead": factories.new_user(Role.LEAD, department=e, username="lead-e"),
        "supervisor": factories.new_user(Role.SUPERVISOR, username="sup"),
        "admin": factories.new_user(Role.ADMIN, username="adm"),
    }
    tokens = {role: factories.new_token(user) for role, user in users.items()}
    checklist = factories.new_checklist()
    monday = datetime(2026, 11, 16, 2, tzinfo=UTC)
    draft = factories.new_inspection(
        site_d, None, monday, "draft", checklist=checklist, inspector=users["inspector"]
    )
    submitted = factories.new_inspection(
        site_d, 80.0, monday, "submitted", checklist=checklist, inspector=users["inspector"]
    )
    db.session.commit()
    api = app.test_client()
    bearer = {"Authorization": f"Bearer {tokens['inspector']}"}
    photo = "11111111-1111-4111-8111-111111111111"
    answer = api.put(f"/api/v1/photos/{photo}", headers=bearer,
                     data={"file": (io.BytesIO(jpeg_bytes()), "a.jpg")})  # fmt: skip
    assert answer.status_code == 201, answer.text
    finding = "22222222-2222-4222-8222-222222222222"
    answer = api.put(f"/api/v1/findings/{finding}", headers=bearer,
                     json={"site": "sd", "title": "Litter", "before_photos": [photo]})  # fmt: skip
    assert answer.status_code == 201, answer.text

    from inspector.campaigns.services import save_campaign

    campaign = save_campaign(users["admin"], "Clean-up", "", "2026-11-01", "2026-11-30", ["sd"])
    closed = close_period(
        users["supervisor"], parse_period("2026-W40"), app.config, date(2026, 11, 29)
    )
    db.session.commit()
    values = {
        "draft": draft.uuid, "submitted": submitted.uuid, "finding": finding, "photo": photo,
        "site": "sd", "site_id": site_d.id, "department_id": d.id, "department": "d",
        "user_id": users["other_inspector"].id, "checklist_id": checklist.id,
        "checklist": checklist.code, "item": checklist.items[0].key, "campaign_id": campaign.id,
        "closed_id": closed.id, "token_id": db.session.scalar(
            select(ApiToken.id).where(ApiToken.user_id == users["inspector"].id)),
    }  # fmt: skip
    values.update(access_records(users))
    db.session.commit()
    return values, {role: (u.id, tokens[role]) for role, u in users.items()}


@pytest.fixture(scope="module")
def world(tmp_path_factory, migrated_db):
    """One app on a SQLite copy with the records; a pristine copy to restore after writes."""
    folder = tmp_path_factory.mktemp("access")
    working, pristine = folder / "working.sqlite3", folder / "pristine.sqlite3"
    shutil.copy(migrated_db, working)
    os.environ["INSPECTOR_INSTANCE_PATH"] = str(folder / "instance")
    app = create_app({**TEST_CONFIG, "DATABASE_URL": f"sqlite:///{working}"})
    app.test_client_class = IsolatedClient
    with app.app_context():
        values, people = build_records(app)
        keys = {role: db.session.get(User, uid).get_id() for role, (uid, _) in people.items()}
        db.session.remove()
        db.engine.dispose()
        shutil.copy(working, pristine)
        yield app, values, people, keys, working, pristine
        db.session.remove()
        db.engine.dispose()


def restore(app, working, pristine):
    db.session.remove()
    db.engine.dispose()
    for suffix in ("-wal", "-shm"):
        Path(str(working) + suffix).unlink(missing_ok=True)
    shutil.copy(pristine, working)


def call(app, row, role, values, people, keys):
    api = row["path"].startswith("/api/")
    client = app.test_client()
    headers = {}
    if role != "anonymous":
        if api:
            headers["Authorization"] = f"Bearer {people[role][1]}"
        else:
            with client.session_transaction() as session:
                now = int(time.time())
                session.update(
                    {"_user_id": keys[role], "_fresh": True, "auth_at": now, "seen_at": now}
                )
    path = row["path"].format(**values)
    method = row["method"]
    if method == "GET":
        with client.get(path, headers=headers) as response:
            return outcome(response, api)
    body = dict(parse_qsl(row.get("body") or "")) if not api else {}
    kwargs = {"json": body} if api else {"data": body}
    return outcome(client.open(path, method=method, headers=headers, **kwargs), api)


def read_table():
    with TABLE.open(newline="") as handle:
        return [row for row in csv.DictReader(line for line in handle if not line.startswith("#"))]


def routes(app):
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_has_a_row(world):
    app = world[0]
    covered = {(row["endpoint"], row["method"]) for row in read_table()}
    assert sorted(routes(app) - covered) == [], "routes without a row in access_control.csv"
    assert sorted(covered - routes(app)) == [], "rows for routes that do not exist"


def test_every_role_gets_the_expected_answer(world):
    app, values, people, keys, working, pristine = world
    rows = read_table()
    observed, wrong = [], []
    with app.app_context():
        for row in rows:
            got = {}
            for role in ROLES:
                got[role] = call(app, row, role, values, people, keys)
                if row["method"] in UNSAFE:
                    restore(app, working, pristine)  # the next call sees the records unchanged
                if got[role] != row.get(role) and not os.environ.get("ACCESS_TABLE_WRITE"):
                    where = f"{row['method']} {row['path']} as {role}"
                    wrong.append(f"{where}: {got[role]}, expected {row[role]}")
            observed.append({**row, **got})
    if os.environ.get("ACCESS_TABLE_WRITE"):
        write_table(observed)
    assert wrong == []


def write_table(rows):
    comments = [line for line in TABLE.read_text().splitlines() if line.startswith("#")]
    columns = ["endpoint", "method", "path", "body", *ROLES]
    with TABLE.open("w", newline="") as handle:
        handle.write("".join(c + "\n" for c in comments))
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows({k: row.get(k, "") for k in columns} for row in rows)


# --- fields a role may not set --------------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        {"department": "e"},
        {"score": {"earned": 100, "possible": 100, "percent": 100}},
        {"status": "approved"},
        {"inspector": "someone-else"},
        {"percent": 100.0},
    ],
)
def test_the_api_refuses_fields_the_caller_may_not_set(api, extra):
    """Department, score, status and author come from the server, never from the body."""
    inspector = api.as_role(Role.INSPECTOR)
    site = factories.new_site()
    checklist = factories.new_checklist()
    db.session.commit()
    body = {
        "template": checklist.id,
        "site": site.code,
        "started_at": "2026-11-23T02:00:00Z",
        "responses": [],
        "submit": False,
        **extra,
    }
    answer = api.put("/api/v1/inspections/44444444-4444-4444-8444-444444444444", json=body)
    assert answer.status_code in (400, 422), answer.text
    assert set(extra) <= set(answer.json["error"].get("fields", {})) or answer.status_code == 400
    assert inspector.id  # nothing was stored under anyone's name
    assert db.session.scalar(select(func.count()).select_from(Inspection)) == 0


def test_web_forms_ignore_fields_they_do_not_offer(client, login_as):
    """A tampered form cannot move a finding to another department or close it."""
    inspector = login_as(Role.INSPECTOR)
    site = factories.new_site(department=factories.new_department(code="home"))
    other = factories.new_department(code="elsewhere")
    db.session.commit()
    answer = client.post(
        "/findings/new",
        data={
            "site": site.code,
            "title": "Litter",
            "uuid": "55555555-5555-4555-8555-555555555555",
            "department": other.code,
            "department_id": str(other.id),
            "status": "closed",
            "created_by_id": "999",
        },
    )
    assert answer.status_code == 303
    finding = db.session.scalar(select(Finding))
    assert (finding.department.code, str(finding.status), finding.created_by_id) == (
        "home",
        "open",
        inspector.id,
    )


def test_no_cross_origin_access_is_granted(api):
    """No CORS: another site's scripts cannot read the API with a visitor's session."""
    api.as_role(Role.INSPECTOR)
    answer = api.get("/api/v1/me", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in answer.headers

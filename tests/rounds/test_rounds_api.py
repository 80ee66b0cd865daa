"""The contract's Rounds API: planning, the sample on both databases, 回避, statuses,
outcomes with evidence, visibility and the audit trail."""

import io
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from inspector.clock import local_now
from inspector.extensions import db
from inspector.models import AuditEvent, Role, SiteKind, User
from tests import factories
from tests.factories import ALL_PASS
from tests.images import jpeg_bytes

KINDS = [SiteKind.OFFICE, SiteKind.RESIDENTIAL, SiteKind.PUBLIC]


def world():
    """Three departments with eight sites each (mixed kinds); inspectors in a and b, one
    without a department; a checklist."""
    departments = [factories.new_department(code=c) for c in ("a", "b", "c")]
    for d in departments:
        for n in range(8):
            factories.new_site(department=d, code=f"{d.code}-{n:02d}", kind=KINDS[n % 3])
    ua = factories.new_user(Role.INSPECTOR, department=departments[0], username="ua")
    ub = factories.new_user(Role.INSPECTOR, department=departments[1], username="ub")
    un = factories.new_user(Role.INSPECTOR, username="un")
    checklist = factories.new_checklist()
    db.session.commit()
    return departments, (ua, ub, un), checklist


def round_body(checklist, **extra):
    today = local_now().date().isoformat()
    return {"title": "周检", "template": checklist.id, "from": today, "to": today, **extra}


def test_listed_sites_balanced_with_avoidance(api):
    _departments, (ua, ub, un), checklist = world()
    api.as_role(Role.SUPERVISOR)
    sites = ["a-00", "a-01", "a-02", "b-00", "b-01", "c-00", "c-01"]
    answer = api.post(
        "/api/v1/rounds", json=round_body(checklist, sites=sites, inspectors=["ua", "ub", "un"])
    )
    assert answer.status_code == 201, answer.text
    body = answer.json
    assert body["template"] == checklist.id and body["title"] == "周检"
    assert "sample" not in body
    got = {a["site"]: a["inspector"] for a in body["assignments"]}
    assert sorted(got) == sites
    assert all(a["status"] == "open" for a in body["assignments"])
    assert not any(site.startswith("a") and who == "ua" for site, who in got.items())
    assert not any(site.startswith("b") and who == "ub" for site, who in got.items())
    counts = sorted(list(got.values()).count(u) for u in ("ua", "ub", "un"))
    assert counts == [2, 2, 3]
    again = api.get(f"/api/v1/rounds/{body['id']}")
    assert again.status_code == 200 and again.json["assignments"] == body["assignments"]


def test_avoidance_impossible_is_422_and_hand_assignment_checked(api):
    _departments, _users, checklist = world()
    api.as_role(Role.SUPERVISOR)
    answer = api.post(
        "/api/v1/rounds", json=round_body(checklist, sites=["a-00", "a-01"], inspectors=["ua"])
    )
    assert answer.status_code == 422, answer.text
    assert "inspectors" in answer.json["error"]["fields"]
    answer = api.post(
        "/api/v1/rounds",
        json=round_body(checklist, sites=["a-00", "b-00"], inspectors=["un"],
                        assign={"a-00": "ua"}),
    )  # fmt: skip
    assert answer.status_code == 422 and "assign.a-00" in answer.json["error"]["fields"]
    both = round_body(checklist, sites=["a-00"], sample={"size": 1, "seed": 1}, inspectors=["un"])
    assert api.post("/api/v1/rounds", json=both).status_code == 422
    answer = api.post(
        "/api/v1/rounds",
        json=round_body(checklist, sites=["a-00", "b-00", "c-00"], inspectors=["un", "ub"],
                        assign={"a-00": "ub"}),
    )  # fmt: skip
    assert answer.status_code == 201, answer.text
    got = {a["site"]: a["inspector"] for a in answer.json["assignments"]}
    assert got["a-00"] == "ub" and got["b-00"] == "un"
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "round.create"))


@pytest.mark.both_databases
def test_same_sample_on_every_database_and_audited(api, database_url):
    """Runs on SQLite and PostgreSQL: both must draw exactly these sites."""
    _departments, _users, checklist = world()
    api.as_role(Role.SUPERVISOR)
    sample = {"size": 6, "pool": {"kinds": ["office", "residential"]}, "strata": "department",
              "seed": 2019}  # fmt: skip
    body = round_body(checklist, sample=sample, inspectors=["ua", "ub", "un"],
                      id=str(uuid.uuid4()))  # fmt: skip
    answer = api.post("/api/v1/rounds", json=body)
    assert answer.status_code == 201, answer.text
    drawn = sorted(a["site"] for a in answer.json["assignments"])
    assert drawn == ["a-01", "a-07", "b-01", "b-04", "c-01", "c-07"]
    assert answer.json["sample"]["seed"] == 2019 and answer.json["sample"]["strata"] == "department"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round.draw"))
    assert event.details["result"] == drawn and event.details["seed"] == 2019
    assert len(event.details["pool"]) == 18
    # The same request again is answered with the same round; another body under its id is 409.
    assert api.post("/api/v1/rounds", json=body).status_code == 200
    assert api.post("/api/v1/rounds", json={**body, "title": "x"}).status_code == 409
    # exclude_recent: the next draw leaves out the sites of the last round.
    later = round_body(checklist, sample={**sample, "size": 6, "exclude_recent": 1},
                       inspectors=["un"])  # fmt: skip
    answer = api.post("/api/v1/rounds", json=later)
    assert answer.status_code == 201, answer.text
    assert not {a["site"] for a in answer.json["assignments"]} & set(drawn)


def villages():
    """Three villages of 4, 2 and 1 sites, of two departments, and three offices of none."""
    departments, _users, checklist = world()
    a, b = departments[0], departments[1]
    for village, count in (("东村", 4), ("西村", 2), ("南村", 1)):
        for n in range(count):
            department = a if n % 2 == 0 else b
            code = f"{village}-{n}"
            factories.new_site(department, code, SiteKind.RESIDENTIAL, community=village)
    db.session.commit()
    return checklist


@pytest.mark.both_databases
def test_a_sample_drawn_from_some_communities_or_one_per_community(api):
    checklist = villages()
    api.as_role(Role.SUPERVISOR)

    def drawn(sample):
        body = round_body(checklist, sample={"seed": 7, **sample}, inspectors=["un"])
        answer = api.post("/api/v1/rounds", json=body)
        assert answer.status_code == 201, answer.text
        return sorted(a["site"] for a in answer.json["assignments"])

    some = drawn({"size": 3, "pool": {"communities": ["东村", "南村"]}})
    assert len(some) == 3 and {code.split("-")[0] for code in some} <= {"东村", "南村"}
    # One per community where the size allows: the three villages and the offices (no community).
    each = drawn({"size": 4, "pool": {"kinds": ["residential", "office"]}, "strata": "community"})
    assert {code.split("-")[0] for code in each if "村" in code} == {"东村", "西村", "南村"}
    assert sum("村" not in code for code in each) == 1
    assert each == drawn({"size": 4, "pool": {"kinds": ["residential", "office"]},
                          "strata": "community"})  # fmt: skip
    unknown = api.post("/api/v1/rounds", json=round_body(
        checklist, sample={"size": 2, "seed": 1, "pool": {"communities": ["北村"]}},
        inspectors=["un"]))  # fmt: skip
    assert unknown.status_code == 422
    assert "北村" in unknown.json["error"]["fields"]["sample.pool.communities"]


def test_a_site_says_its_community_through_the_api(api):
    department = factories.new_department(code="d")
    db.session.commit()
    api.as_role(Role.ADMIN)
    body = {"code": "v-1", "name": "桂花镇新村一区", "kind": "residential", "department": "d",
            "community": "  桂花镇新村一区 "}  # fmt: skip
    made = api.post("/api/v1/sites", json=body)
    assert made.status_code == 201 and made.json["community"] == "桂花镇新村一区"
    listed = {s["code"]: s for s in api.get("/api/v1/sites").json["items"]}
    assert listed["v-1"]["community"] == "桂花镇新村一区"
    assert department.id


def put_photo(api, user_token=None):
    ident = str(uuid.uuid4())
    answer = api.put(f"/api/v1/photos/{ident}",
                     data={"file": (io.BytesIO(jpeg_bytes()), "p.jpg")})  # fmt: skip
    assert answer.status_code == 201, answer.text
    return ident


@pytest.mark.both_databases
def test_assignment_status_outcome_and_visibility(api, client):  # noqa: PLR0915 (one story)
    departments, (ua, ub, un), checklist = world()
    planner = api.as_role(Role.SUPERVISOR)
    planner_token = api.token
    body = round_body(checklist, sites=["a-00", "b-00", "c-00"], inspectors=["un"],
                      hidden=True)  # fmt: skip
    round_ = api.post("/api/v1/rounds", json=body).json
    ids = {a["site"]: a["id"] for a in round_["assignments"]}

    # The inspector: their work list, then an inspection of a-00 fulfils it.
    api.token = factories.new_token(un)
    db.session.commit()
    mine = api.get("/api/v1/assignments?inspector=me").json["items"]
    assert sorted(a["site"] for a in mine) == ["a-00", "b-00", "c-00"]
    inspection = str(uuid.uuid4())
    now = datetime.now(UTC).isoformat()
    answer = api.put(f"/api/v1/inspections/{inspection}", json={
        "template": checklist.id, "site": "a-00", "started_at": now, "submitted_at": now,
        "responses": ALL_PASS, "submit": True})  # fmt: skip
    assert answer.status_code == 201, answer.text
    done = api.get("/api/v1/assignments?inspector=me&status=done").json["items"]
    assert [(a["site"], a["inspection"]) for a in done] == [("a-00", inspection)]
    assert len(api.get("/api/v1/assignments?status=open").json["items"]) == 2

    # Could not inspect: a reason and a photo, or 422.
    url = f"/api/v1/assignments/{ids['b-00']}/outcome"
    assert api.post(url, json={"status": "unable", "reason": "大门紧锁",
                               "photos": []}).status_code == 422  # fmt: skip
    assert api.post(url, json={"status": "unable", "reason": " ", "photos": [put_photo(api)]}
                    ).status_code == 422  # fmt: skip
    photo = put_photo(api)
    answer = api.post(url, json={"status": "refused", "reason": "门卫拒绝", "photos": [photo]})
    assert answer.status_code == 200, answer.text
    assert answer.json["status"] == "refused" and answer.json["photos"] == [photo]
    again = api.post(url, json={"status": "refused", "reason": "门卫拒绝", "photos": [photo]})
    assert again.status_code == 200
    done_url = f"/api/v1/assignments/{ids['a-00']}/outcome"
    assert api.post(done_url, json={"status": "unable", "reason": "x",
                                    "photos": [photo]}).status_code == 409  # fmt: skip
    states = {a["site"]: a["status"] for a in api.get("/api/v1/assignments").json["items"]}
    assert states == {"a-00": "done", "b-00": "refused", "c-00": "open"}

    # Another inspector sees none of it and may not close it.
    api.token = factories.new_token(ua)
    db.session.commit()
    assert api.get("/api/v1/assignments?inspector=un").json["items"] == []
    assert api.get(f"/api/v1/rounds/{round_['id']}").status_code == 404
    assert api.post(url, json={"status": "unable", "reason": "x",
                               "photos": [photo]}).status_code == 404  # fmt: skip

    # The lead of a: nothing while the hidden round runs.
    lead = factories.new_user(Role.LEAD, department=departments[0])
    api.token = factories.new_token(lead)
    db.session.commit()
    assert api.get("/api/v1/assignments").json["items"] == []
    assert api.get(f"/api/v1/rounds/{round_['id']}").status_code == 404

    # The planner reassigns c-00 (audited), never to someone of its department.
    api.token = planner_token
    reassign = f"/api/v1/assignments/{ids['c-00']}/reassign"
    answer = api.post(reassign, json={"inspector": "ua"})
    assert answer.status_code == 200 and answer.json["inspector"] == "ua"
    assert api.post(f"/api/v1/assignments/{ids['a-00']}/reassign",
                    json={"inspector": "ub"}).status_code == 409  # fmt: skip
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assignment.reassign"))
    assert event.details["old"] == "un" and event.details["new"] == "ua"
    assert planner.role == Role.SUPERVISOR


def test_inspectors_and_leads_may_not_plan(api):
    _departments, _users, checklist = world()
    api.as_role(Role.INSPECTOR)
    body = round_body(checklist, sites=["a-00"], inspectors=["un"])
    assert api.post("/api/v1/rounds", json=body).status_code == 403


def test_inspectors_may_have_a_department_from_the_command_line(runner):
    factories.new_department(code="fin")
    db.session.commit()
    result = runner.invoke(
        args=["create-user", "zhang", "--role", "inspector", "--department", "fin",
              "--password-stdin"], input="a-long-Secret-42\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "zhang"))
    assert user.role == Role.INSPECTOR and user.department.code == "fin"


def test_a_whole_number_written_as_a_float_is_not_a_500(api):
    _departments, _users, checklist = world()
    api.as_role(Role.SUPERVISOR)
    body = round_body(checklist, sample={"size": 2.0, "seed": 3.0, "exclude_recent": 1.0},
                      inspectors=["un"])  # fmt: skip
    answer = api.post("/api/v1/rounds", json=body)
    assert answer.status_code == 201, answer.text
    assert len(answer.json["assignments"]) == 2 and answer.json["sample"]["size"] == 2

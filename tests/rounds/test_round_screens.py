"""The planning screens: a repeating sampled round from the form, its page, reassigning."""

from sqlalchemy import select

from inspector.extensions import db
from inspector.models import AuditEvent, Role, Round, SiteKind
from tests import factories
from tests.conftest import csrf_token_from


def test_plan_a_weekly_sampled_round_and_reassign(client, login_as):
    a, b = factories.new_department(code="a"), factories.new_department(code="b")
    for n in range(6):
        factories.new_site(department=[a, b][n % 2], code=f"v{n}", kind=SiteKind.RESIDENTIAL)
    factories.new_user(Role.INSPECTOR, department=a, username="ua")
    factories.new_user(Role.INSPECTOR, department=b, username="ub")
    checklist = factories.new_checklist()
    login_as(Role.SUPERVISOR)
    page = client.get("/rounds/new")
    assert page.status_code == 200
    form = {
        "csrf_token": csrf_token_from(page.text), "title": "抽查", "template": str(checklist.id),
        "from": "2026-11-02", "to": "2026-11-06", "repeat": "week", "count": "3",
        "mode": "sample", "size": "2", "seed": "7", "strata": "department",
        "kinds": "residential", "inspectors": ["ua", "ub"], "hidden": "1",
    }  # fmt: skip
    answer = client.post("/rounds/new", data=form)
    assert answer.status_code == 303, answer.text
    rounds = db.session.scalars(select(Round).order_by(Round.starts_on)).all()
    assert [r.starts_on.isoformat() for r in rounds] == ["2026-11-02", "2026-11-09", "2026-11-16"]
    assert len({r.series for r in rounds}) == 1 and all(r.hidden for r in rounds)
    assert [r.sample["seed"] for r in rounds] == [7, 8, 9]
    for r in rounds:
        assert {a.site.department.code for a in r.assignments} == {"a", "b"}  # one per stratum
        assert all(a.inspector.department_id != a.site.department_id for a in r.assignments)
    detail = client.get(f"/rounds/{rounds[0].uuid}")
    assert detail.status_code == 200 and "抽查" in detail.text
    # Reassigning against 回避 is refused and changes nothing; a proper one is audited.
    target = rounds[0].assignments[0]
    own = "ua" if target.site.department.code == "a" else "ub"
    token = csrf_token_from(detail.text)
    url = f"/rounds/assignments/{target.uuid}/reassign"
    client.post(url, data={"csrf_token": token, "inspector": own})
    db.session.expire_all()
    assert target.inspector.username != own
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assignment.reassign"))
        is None
    )


def test_form_errors_are_shown_not_500(client, login_as):
    login_as(Role.SUPERVISOR)
    page = client.get("/rounds/new")
    answer = client.post("/rounds/new", data={
        "csrf_token": csrf_token_from(page.text), "title": "", "template": "x", "from": "bad",
        "to": "", "mode": "sites"})  # fmt: skip
    assert answer.status_code == 200
    assert 'class="error"' in answer.text
    assert db.session.scalar(select(Round.id)) is None


def test_the_form_draws_from_chosen_communities_one_per_community(client, login_as):
    a, b = factories.new_department(code="a"), factories.new_department(code="b")
    for n, village in enumerate(["东村", "东村", "西村", "西村", "南村"]):
        factories.new_site(department=[a, b][n % 2], code=f"v{n}", kind=SiteKind.RESIDENTIAL,
                           community=village)  # fmt: skip
    factories.new_user(Role.INSPECTOR, username="u")
    checklist = factories.new_checklist()
    login_as(Role.SUPERVISOR)
    page = client.get("/rounds/new")
    assert 'name="communities" value="东村"' in page.text and 'value="community"' in page.text
    form = {
        "csrf_token": csrf_token_from(page.text), "title": "抽查", "template": str(checklist.id),
        "from": "2026-11-02", "to": "2026-11-06", "mode": "sample", "size": "2", "seed": "3",
        "strata": "community", "communities": ["东村", "西村"], "inspectors": ["u"],
    }  # fmt: skip
    assert client.post("/rounds/new", data=form).status_code == 303
    drawn = db.session.scalar(select(Round))
    assert sorted(a.site.community for a in drawn.assignments) == ["东村", "西村"]
    assert "社区" in client.get(f"/rounds/{drawn.uuid}", headers={"Accept-Language": "zh"}).text

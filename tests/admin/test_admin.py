"""Admin screens: managing users, departments and sites in the browser."""

import pytest

from inspector.extensions import db
from inspector.models import AuditEvent, Department, Role, Site, User
from tests import factories


def test_admin_creates_a_lead_with_a_department(client, login_as):
    login_as(Role.ADMIN)
    factories.new_department(code="finance")
    response = client.post(
        "/admin/users/new",
        data={
            "username": "zhao",
            "display_name": "赵科长",
            "role": "lead",
            "department": "finance",
            "password": "a-long-enough-pass",
            "active": "y",
        },
    )
    assert response.status_code == 303
    user = db.session.query(User).filter_by(username="zhao").one()
    assert user.role == Role.LEAD and user.department.code == "finance"


def test_lead_without_department_shows_the_error_on_the_form(client, login_as):
    login_as(Role.ADMIN)
    response = client.post(
        "/admin/users/new",
        data={"username": "zhao", "role": "lead", "password": "a-long-enough-pass"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200
    assert "A department lead needs a department." in response.text
    assert db.session.query(User).filter_by(username="zhao").count() == 0


def test_deactivating_a_user_signs_them_out_and_is_audited(app, client, login_as):
    login_as(Role.ADMIN)
    victim = factories.new_user(username="leaver")
    other = app.test_client()
    other.post("/login", data={"username": "leaver", "password": factories.PASSWORD})
    assert other.get("/").status_code == 200
    response = client.post(f"/admin/users/{victim.id}", data={"role": "inspector"})
    assert response.status_code == 303
    assert other.get("/").status_code == 302
    assert db.session.query(AuditEvent).filter_by(action="user.deactivate").count() == 1


def test_role_change_is_audited(client, login_as):
    login_as(Role.ADMIN)
    user = factories.new_user(role=Role.INSPECTOR)
    client.post(f"/admin/users/{user.id}", data={"role": "supervisor", "active": "y"})
    event = db.session.query(AuditEvent).filter_by(action="user.role").one()
    assert event.details == {"old": "inspector", "new": "supervisor"}


def test_admin_cannot_demote_themselves(client, login_as):
    me = login_as(Role.ADMIN)
    response = client.post(f"/admin/users/{me.id}", data={"role": "inspector", "active": "y"})
    assert response.status_code == 200
    assert db.session.get(User, me.id).role == Role.ADMIN


def test_department_create_edit_and_duplicate(client, login_as):
    login_as(Role.ADMIN)
    assert (
        client.post(
            "/admin/departments/new", data={"code": "finance", "name": "财务科", "active": "y"}
        ).status_code
        == 303
    )
    department = db.session.query(Department).filter_by(code="finance").one()
    client.post(
        f"/admin/departments/{department.id}",
        data={"code": "finance", "name": "财务审计科", "active": "y"},
    )
    db.session.refresh(department)
    assert department.name == "财务审计科"
    response = client.post("/admin/departments/new", data={"code": "finance", "name": "重复"})
    assert response.status_code == 200
    assert db.session.query(Department).count() == 1


def test_site_create_and_list_filter(client, login_as):
    login_as(Role.ADMIN)
    factories.new_department(code="property")
    response = client.post(
        "/admin/sites/new",
        data={
            "code": "lobby",
            "name": "行政中心大厅",
            "kind": "public",
            "department": "property",
            "expected_per_week": "2",
            "active": "y",
        },
    )
    assert response.status_code == 303
    site = db.session.query(Site).filter_by(code="lobby").one()
    assert site.expected_per_week == 2 and site.department.code == "property"
    assert "行政中心大厅" in client.get("/admin/sites?department=property").text
    assert "行政中心大厅" not in client.get("/admin/sites?q=nothing-like-it").text


def test_missing_record_is_404(client, login_as):
    login_as(Role.ADMIN)
    assert client.get("/admin/users/9999").status_code == 404
    assert client.get("/admin/sites/9999").status_code == 404


@pytest.mark.parametrize(
    "url, data",
    [
        (
            "/admin/users/new",
            {"username": "x y", "role": "emperor", "department": "nowhere", "password": "p"},
        ),
        ("/admin/users/new", {"username": "u" * 500, "role": "lead", "password": "p" * 5000}),
        (
            "/admin/sites/new",
            {
                "code": "../../etc",
                "name": "",
                "kind": "castle",
                "department": "none",
                "expected_per_week": "many",
            },
        ),
        (
            "/admin/sites/new",
            {
                "code": "s1",
                "name": "名" * 101,
                "kind": "office",
                "department": "",
                "expected_per_week": "-3",
            },
        ),
        ("/admin/departments/new", {"code": "ok", "name": "\x01"}),
        ("/admin/departments/new", {}),
    ],
)
def test_garbage_in_forms_is_shown_as_errors_never_500(client, login_as, url, data):
    login_as(Role.ADMIN)
    response = client.post(url, data=data, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert 'class="error"' in response.text


def test_a_nul_character_in_a_form_is_a_400_page(client, login_as):
    # PostgreSQL can neither store nor compare U+0000: refused for every form in one place.
    login_as(Role.ADMIN)
    response = client.post("/admin/departments/new", data={"code": "ok", "name": "a\x00"})
    assert response.status_code == 400 and "text/html" in response.content_type


def test_a_site_without_a_department_asks_for_one(client, login_as):
    login_as(Role.ADMIN)
    form = {"code": "s1", "name": "一号楼", "kind": "office", "department": "",
            "expected_per_week": "1"}  # fmt: skip
    page = client.post("/admin/sites/new", data=form, headers={"Accept-Language": "zh-CN"}).text
    assert "请选择科室。" in page and "科室不存在" not in page
    form["department"] = "nowhere"
    page = client.post("/admin/sites/new", data=form, headers={"Accept-Language": "zh-CN"}).text
    assert "科室不存在" in page

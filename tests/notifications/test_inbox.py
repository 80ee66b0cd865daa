"""The in-app inbox: told at once, an unread count in every role's header, in one's language."""

import re

import pytest

from inspector.extensions import db
from inspector.models import Notification, Role, User
from tests import factories
from tests.notifications.records import office, submitted_inspection
from tests.notifications.sinks import wait_until


def unread_in_header(client, language="zh-CN"):
    page = client.get("/", headers={"Accept-Language": language}).text
    return int(re.search(r'data-unread="(\d+)"', page).group(1)), page


def test_a_returned_inspection_tells_its_inspector_at_once(app, api, client, login_as, worker):
    _department, site, checklist = office()
    inspector = login_as(Role.INSPECTOR)
    api.token = factories.new_token(inspector)
    db.session.commit()
    inspection = submitted_inspection(api, site, checklist, failing=()).json
    api.as_role(Role.SUPERVISOR, display_name="周明")
    comment = {"decision": "return", "comment": "请补拍桌面照片"}
    assert (
        api.post(f"/api/v1/inspections/{inspection['id']}/review", json=comment).status_code == 200
    )
    wait_until(lambda: unread_in_header(client)[0] == 1)
    _count, home = unread_in_header(client)
    assert "检查被退回修改：A区302办公室" in home and "请补拍桌面照片" in home
    assert "周明 退回了" in client.get("/notifications/").text  # the reviewer by name
    english = client.get("/notifications/", headers={"Accept-Language": "en"}).text
    assert "Returned for correction: A区302办公室" in english  # drawn in the reader's language
    # The inspector's one message (the supervisor may also be told of the submission, depending
    # on whether the worker dispatched it before the supervisor's account was made).
    [note] = db.session.scalars(
        db.select(Notification).where(Notification.user_id == inspector.id)
    ).all()
    opened = client.get(f"/notifications/{note.id}")
    assert opened.status_code == 303 and opened.location == f"/inspections/{inspection['id']}"
    assert unread_in_header(client)[0] == 0


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SUPERVISOR, Role.INSPECTOR, Role.LEAD])
def test_every_roles_home_shows_the_unread_count(app, client, login_as, role):
    user = login_as(role)
    for name in ("finding.opened", "finding.overdue"):
        db.session.add(Notification(user_id=user.id, name=name, data={"id": "x", "title": "堆物"}))
    db.session.commit()
    count, home = unread_in_header(client)
    assert count == 2 and "消息：2 条未读" in home and "新消息" in home
    assert client.post("/notifications/read").status_code == 303
    assert unread_in_header(client)[0] == 0


def test_nobody_opens_another_persons_message(app, client, login_as):
    other = factories.new_user()
    db.session.add(Notification(user_id=other.id, name="finding.opened", data={}))
    db.session.commit()
    login_as(Role.ADMIN)
    note = db.session.scalar(db.select(Notification))
    assert client.get(f"/notifications/{note.id}").status_code == 404


def test_people_set_their_email_and_the_language_of_their_messages(app, client, login_as):
    user = login_as(Role.LEAD)
    wrong = client.post("/notifications/settings", data={"email": "not-an-address", "locale": "en"})
    assert wrong.status_code == 422
    saved = client.post(
        "/notifications/settings", data={"email": " wang@example.gov.cn ", "locale": "en"}
    )
    assert saved.status_code == 303
    user = db.session.get(User, user.id)
    assert (user.email, user.locale) == ("wang@example.gov.cn", "en")


def test_the_field_app_takes_its_count_from_the_field_data(app, client, login_as):
    """The field shell is kept offline: the count comes with the data, never with the shell."""
    user = login_as(Role.INSPECTOR)
    db.session.add(Notification(user_id=user.id, name="finding.opened", data={"id": "x"}))
    db.session.commit()
    shell = client.get("/field/", headers={"Accept-Language": "zh-CN"}).text
    assert 'class="link inbox"' in shell and 'data-unread=""' in shell
    assert client.get("/field/data.json").json["unread"] == 1
    client.post("/notifications/read")
    assert client.get("/field/data.json").json["unread"] == 0

"""The activity screens: record one from the phone form, and the week's done/missing grid."""

import io
import re
import uuid
import zipfile

from sqlalchemy import select

from inspector.activities.services import save_kind
from inspector.clock import local_now
from inspector.extensions import db
from inspector.frameworks.services import save_framework
from inspector.models import Activity, ActivityKind, Role
from inspector.periods import period_containing
from tests import factories
from tests.conftest import csrf_token_from
from tests.images import jpeg_bytes


def test_record_from_the_form_with_a_photo_and_a_document(client, login_as, app):
    department = factories.new_department(code="d")
    save_kind(None, "study", "政治学习", 1)
    factories.new_department(code="e")
    db.session.commit()
    login_as(Role.LEAD, department=department)
    page = client.get("/activities/new")
    ident = str(uuid.uuid4())
    form = {
        "csrf_token": csrf_token_from(page.text), "uuid": ident, "kind": "study",
        "title": "周五政治学习", "date": "2026-11-27", "participants": "23", "place": "会议室",
        "photos": (io.BytesIO(jpeg_bytes()), "p.jpg"),
        "files": (io.BytesIO(b"%PDF-1.7\n%%EOF"), "签到表.pdf"),
    }  # fmt: skip
    answer = client.post("/activities/new", data=form, content_type="multipart/form-data")
    assert answer.status_code == 303, answer.text
    activity = db.session.scalar(select(Activity).where(Activity.uuid == ident))
    assert activity.department.code == "d" and activity.participants == 23
    assert len(activity.photos) == 1 and activity.files[0].file.name == "签到表.pdf"
    shown = client.get(answer.location).text
    assert "签到表.pdf" in shown and f"/files/{activity.files[0].file.uuid}" in shown
    week = client.get("/activities/?week=2026-W48").text
    states = re.findall(r'data-kind="study" data-state="(\w+)"', week)
    assert states == ["done"]  # a lead sees their own department's row
    assert "missing" in client.get("/activities/?week=2026-W47").text
    # The week still running: a kind not done yet is due, not missing.
    this_week = period_containing(local_now().date(), "week").key
    states = re.findall(r'data-state="(\w+)"', client.get(f"/activities/?week={this_week}").text)
    assert states and "missing" not in states and "due" in states
    framework = save_framework(None, {"code": "f", "name": "F", "year": 2026, "indicators": [
        {"code": "2.1", "title": "学习", "points": 8, "method": "activity",
         "activity_kinds": ["study"], "target": 52}]})  # fmt: skip
    db.session.commit()
    with client.get(f"/frameworks/{framework.id}/binder.zip") as answer:
        archive = zipfile.ZipFile(io.BytesIO(answer.get_data()))
    assert archive.namelist() == ["2.1/2026-11-27-签到表.pdf", "index.csv"]
    assert archive.read("2.1/2026-11-27-签到表.pdf") == b"%PDF-1.7\n%%EOF"


def test_admins_configure_kinds_and_their_weekly_expectation(client, login_as):
    login_as(Role.ADMIN)
    token = csrf_token_from(client.get("/activities/kinds").text)
    new = {"csrf_token": token, "code": "volunteer", "name": "志愿服务", "per_week": "2"}
    assert client.post("/activities/kinds", data=new).status_code == 303
    kind = db.session.scalar(select(ActivityKind).where(ActivityKind.code == "volunteer"))
    assert (kind.name, kind.per_week, kind.active) == ("志愿服务", 2, True)
    retire = {**new, "name": "志愿者服务", "per_week": "0", "active": "off"}
    client.post("/activities/kinds", data=retire)
    db.session.refresh(kind)
    assert (kind.name, kind.per_week, kind.active) == ("志愿者服务", 0, False)
    client.post("/activities/kinds", data={**new, "code": "../x"})
    assert db.session.scalar(select(ActivityKind).where(ActivityKind.code == "../x")) is None


def test_adding_a_kind_never_renames_one_and_a_fault_keeps_what_was_typed(client, login_as):
    login_as(Role.ADMIN)
    token = csrf_token_from(client.get("/activities/kinds").text)
    kept = {"csrf_token": token, "code": "volunteer", "name": "志愿服务", "per_week": "2"}
    kept["new"] = "1"  # the add form
    assert client.post("/activities/kinds", data=kept).status_code == 303
    again = {**kept, "name": "志愿者活动", "per_week": "0"}
    page = client.post("/activities/kinds", data=again, headers={"Accept-Language": "en"})
    assert page.status_code == 422
    assert "A kind with this code exists already" in page.text
    assert 'value="志愿者活动"' in page.text  # what was typed, in the add form
    kind = db.session.scalar(select(ActivityKind).where(ActivityKind.code == "volunteer"))
    assert (kind.name, kind.per_week) == ("志愿服务", 2)  # untouched
    # A fault in an existing kind's own form is shown there, with its typed name.
    edit = {"csrf_token": token, "code": "volunteer", "name": "志愿服务（新）", "per_week": "99"}
    page = client.post("/activities/kinds", data=edit, headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 422 and "每周应有" in page.text
    form = page.text.split('data-kind="volunteer"')[1].split("</form>")[0]
    assert "0 到 14" in form and 'value="志愿服务（新）"' in form and 'value="99"' in form


def test_a_bad_activity_form_is_refused_field_by_field_and_keeps_what_was_typed(client, login_as):
    """What the browser's own limits stop, posted anyway: never a 500, nothing dropped quietly."""
    department = factories.new_department(code="d")
    save_kind(None, "study", "政治学习", 1)
    db.session.commit()
    login_as(Role.LEAD, department=department)
    page = client.get("/activities/new")
    form = {"csrf_token": csrf_token_from(page.text), "uuid": str(uuid.uuid4()), "kind": "study",
            "title": "周五政治学习", "date": "2026-11-27", "participants": "-7",
            "place": "会" * 600}  # fmt: skip
    answer = client.post("/activities/new", data=form, headers={"Accept-Language": "en"})
    assert answer.status_code == 200  # the form again, with its faults
    assert "Participants: a whole number of people, or empty." in answer.text
    assert 'value="周五政治学习"' in answer.text and 'value="-7"' in answer.text
    assert db.session.scalar(select(Activity)) is None
    form["participants"] = "7"
    answer = client.post("/activities/new", data=form, headers={"Accept-Language": "zh-CN"})
    assert "地点：最多 200 个字符。" in answer.text  # names the field, in its language
    assert db.session.scalar(select(Activity)) is None

"""The phone flow in the browser's forms: pick, answer, attach, review, submit, review."""

import io
import re

import pytest
from PIL import Image

from inspector.extensions import db
from inspector.models import Inspection, InspectionStatus, Role
from tests import factories
from tests.images import jpeg_bytes


@pytest.fixture
def world(app):
    department = factories.new_department(code="finance")
    site = factories.new_site(department=department, code="A-302", name="A区302财务科")
    checklist = factories.new_checklist()
    db.session.commit()
    return {"site": site, "checklist": checklist, "department": department}


ALL_PASS_FORM = {
    "answer.documents": "pass",
    "answer.desk-dust": "pass",
    "answer.floor-spit": "0",
    "answer.windows": "3",
    "answer.smoking": "pass",
    "answer.litter": "0",
    "answer.mandarin": "pass",
    "answer.parking": "4",
}


def start(client, world):
    response = client.post("/inspections/new/A-302", data={"checklist": world["checklist"].id})
    assert response.status_code == 303
    return response.location.split("/")[2]


def test_sites_are_searchable_and_recent_first(client, login_as, world):
    login_as(Role.INSPECTOR)
    factories.new_site(department=world["department"], code="B-1", name="B区走廊")
    html = client.get("/inspections/new").text
    assert "A区302财务科" in html and "B区走廊" in html
    assert "B区走廊" not in client.get("/inspections/new?q=财务").text
    start(client, world)
    html = client.get("/inspections/new").text
    assert html.index("A区302财务科") < html.index("B区走廊")  # recently visited first


def test_whole_flow_with_a_photo(client, login_as, world):
    login_as(Role.INSPECTOR)
    uuid = start(client, world)
    edit = f"/inspections/{uuid}/edit"
    assert 'capture="environment"' in client.get(edit).text
    form = {
        **ALL_PASS_FORM,
        "answer.smoking": "fail",
        "note.smoking": "楼梯间有烟头",
        "file.smoking": (io.BytesIO(jpeg_bytes()), "IMG_0001.JPG"),
        "action": "review",
    }
    response = client.post(edit, data=form, content_type="multipart/form-data")
    assert response.status_code == 303 and response.location.endswith("/review")
    review = client.get(f"/inspections/{uuid}/review", headers={"Accept-Language": "en"}).text
    assert "Ready to submit" in review
    response = client.post(f"/inspections/{uuid}/submit")
    assert response.status_code == 303
    receipt = client.get(response.location, headers={"Accept-Language": "en"}).text
    inspection = db.session.query(Inspection).one()
    assert inspection.status == InspectionStatus.SUBMITTED
    assert inspection.critical_failed and inspection.percent == 82.1  # 23 of 28
    assert "82.1%" in receipt and "楼梯间有烟头" in receipt
    thumb = re.search(r'src="(/photos/[^"]+/thumb)"', receipt).group(1)
    with client.get(thumb) as image:
        assert image.status_code == 200 and image.mimetype == "image/jpeg"
        assert image.headers["X-Content-Type-Options"] == "nosniff"


def test_review_lists_what_is_missing(client, login_as, world):
    login_as(Role.INSPECTOR)
    uuid = start(client, world)
    client.post(
        f"/inspections/{uuid}/edit", data={"answer.documents": "fail", "answer.desk-dust": "pass"}
    )
    html = client.get(f"/inspections/{uuid}/review", headers={"Accept-Language": "en"}).text
    assert "Before you can submit" in html
    assert "An answer is required to submit." in html  # e.g. windows
    assert "A failed item needs a photo." in html  # documents failed without a photo
    response = client.post(f"/inspections/{uuid}/submit")
    assert response.location.endswith("/review")
    assert db.session.query(Inspection).one().status == InspectionStatus.DRAFT


def test_draft_is_saved_as_you_go_and_resumes(client, login_as, world):
    login_as(Role.INSPECTOR)
    uuid = start(client, world)
    response = client.post(
        f"/inspections/{uuid}/edit",
        data={"answer.windows": "2", "na.parking": "na", "answer.parking": ""},
        headers={"Accept": "application/json"},
    )
    assert response.json == {"saved": True, "percent": 66.7}
    html = client.get(f"/inspections/{uuid}/edit").text
    assert re.search(r'name="answer.windows" value="2"', html)
    assert re.search(r'name="na.parking" value="na" checked', html)


def test_a_bad_file_is_refused_and_the_answers_are_kept(client, login_as, world):
    login_as(Role.INSPECTOR)
    uuid = start(client, world)
    form = {
        "answer.windows": "3",
        "file.windows": (io.BytesIO(b"<svg onload=alert(1)>"), "photo.jpg"),
    }
    client.post(
        f"/inspections/{uuid}/edit",
        data=form,
        content_type="multipart/form-data",
        headers={"Accept-Language": "en"},
    )
    html = client.get(f"/inspections/{uuid}/edit", headers={"Accept-Language": "en"}).text
    assert "photo.jpg is not a photo" in html
    assert 'name="answer.windows" value="3"' in html


def test_supervisor_returns_and_inspector_resubmits(app, client, login_as, world):
    inspector = login_as(Role.INSPECTOR)
    uuid = start(client, world)
    client.post(f"/inspections/{uuid}/edit", data=ALL_PASS_FORM)
    client.post(f"/inspections/{uuid}/submit")
    boss = app.test_client()
    supervisor = factories.new_user(role=Role.SUPERVISOR)
    boss.post("/login", data={"username": supervisor.username, "password": factories.PASSWORD})
    assert (
        "Waiting for your review"
        in boss.get("/inspections/", headers={"Accept-Language": "en"}).text
    )
    boss.post(f"/inspections/{uuid}/decision", data={"decision": "return", "comment": "窗户没擦"})
    html = client.get(f"/inspections/{uuid}/edit").text
    assert "窗户没擦" in html
    client.post(f"/inspections/{uuid}/edit", data={**ALL_PASS_FORM, "answer.windows": "2"})
    client.post(f"/inspections/{uuid}/submit")
    boss.post(f"/inspections/{uuid}/decision", data={"decision": "approve"})
    inspection = db.session.query(Inspection).one()
    assert inspection.status == InspectionStatus.APPROVED and inspection.earned == 27
    assert inspector.id


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.LEAD])
def test_who_cannot_start_inspections(client, login_as, role, world):
    login_as(role)
    assert client.get("/inspections/new").status_code == 403


def test_another_inspector_cannot_open_it(app, client, login_as, world):
    login_as(Role.INSPECTOR)
    uuid = start(client, world)
    other = app.test_client()
    someone = factories.new_user(role=Role.INSPECTOR)
    other.post("/login", data={"username": someone.username, "password": factories.PASSWORD})
    assert other.get(f"/inspections/{uuid}").status_code == 404
    assert other.get(f"/inspections/{uuid}/edit").status_code == 404


def test_evidence_stamp_is_drawn_on_the_display_copy(app, client, login_as, world):
    app.config["PHOTO_STAMP"] = True
    login_as(Role.INSPECTOR, display_name="李督查")
    uuid = start(client, world)
    form = {"file.windows": (io.BytesIO(jpeg_bytes((1600, 1200), (230, 230, 230))), "w.jpg")}
    client.post(f"/inspections/{uuid}/edit", data=form, content_type="multipart/form-data")
    html = client.get(f"/inspections/{uuid}/edit").text
    thumb = re.search(r'src="(/photos/[^"]+)/thumb"', html).group(1)
    with client.get(f"{thumb}/display") as display:
        image = Image.open(io.BytesIO(display.data)).convert("L")
    top, bottom = image.getpixel((800, 100)), image.getpixel((5, 1195))
    assert top > 200 and bottom < 150  # a dark band with the time, site and inspector
    assert not image.getexif()  # and still no metadata


def test_a_photo_taken_before_answering_is_kept_until_the_answer(client, login_as, world):
    login_as(Role.INSPECTOR)
    uuid = start(client, world)
    form = {"file.smoking": (io.BytesIO(jpeg_bytes()), "smoke.jpg")}
    client.post(f"/inspections/{uuid}/edit", data=form, content_type="multipart/form-data")
    html = client.get(f"/inspections/{uuid}/edit").text
    kept = re.search(r'name="photos.smoking" value="([^"]+)"', html).group(1)
    client.post(
        f"/inspections/{uuid}/edit", data={"answer.smoking": "fail", "photos.smoking": kept}
    )
    response = db.session.query(Inspection).one().responses[0]
    assert [link.photo.uuid for link in response.photos] == [kept]


def test_starting_again_continues_the_open_draft(client, login_as, world):
    login_as(Role.INSPECTOR)
    first = start(client, world)
    assert start(client, world) == first
    assert db.session.query(Inspection).count() == 1


def test_a_draft_can_be_discarded_but_not_a_submitted_one(client, login_as, world):
    login_as(Role.INSPECTOR)
    uuid = start(client, world)
    assert client.post(f"/inspections/{uuid}/discard").status_code == 303
    assert db.session.query(Inspection).count() == 0
    uuid = start(client, world)
    client.post(f"/inspections/{uuid}/edit", data=ALL_PASS_FORM)
    client.post(f"/inspections/{uuid}/submit")
    assert client.post(f"/inspections/{uuid}/discard").status_code == 409


def test_return_without_comment_is_shown_under_the_comment_box(app, client, login_as, world):
    login_as(Role.INSPECTOR)
    uuid = start(client, world)
    client.post(f"/inspections/{uuid}/edit", data=ALL_PASS_FORM)
    client.post(f"/inspections/{uuid}/submit")
    boss = app.test_client()
    supervisor = factories.new_user(role=Role.SUPERVISOR)
    boss.post("/login", data={"username": supervisor.username, "password": factories.PASSWORD})
    response = boss.post(
        f"/inspections/{uuid}/decision",
        data={"decision": "return"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert 'id="comment-error">Say what must be corrected.' in response.text
    listing = boss.get("/inspections/").text
    assert listing.count(f"/inspections/{uuid}") == 1  # listed once, under "to review"


def test_a_note_typed_before_answering_is_kept(client, login_as, world):
    login_as(Role.INSPECTOR)
    uuid = start(client, world)
    client.post(f"/inspections/{uuid}/edit", data={"note.mandarin": "前台无人值守"})
    assert "前台无人值守" in client.get(f"/inspections/{uuid}/edit").text
    client.post(
        f"/inspections/{uuid}/edit",
        data={"answer.mandarin": "fail", "note.mandarin": "前台无人值守"},
    )
    response = db.session.query(Inspection).one().responses[0]
    assert (response.item.key, response.note) == ("mandarin", "前台无人值守")


def test_resubmitting_a_returned_inspection_unchanged_is_refused(app, client, login_as, world):
    login_as(Role.INSPECTOR)
    uuid = start(client, world)
    client.post(f"/inspections/{uuid}/edit", data=ALL_PASS_FORM)
    client.post(f"/inspections/{uuid}/submit")
    inspection = db.session.query(Inspection).one()
    inspection.status = InspectionStatus.RETURNED  # as a supervisor's return leaves it
    db.session.commit()
    response = client.post(f"/inspections/{uuid}/submit")
    assert response.location.endswith("/edit")
    db.session.refresh(inspection)
    assert inspection.status == InspectionStatus.RETURNED

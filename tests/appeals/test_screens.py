"""Appeals in the web screens and the field app's data: filing by form, the queue, ruling,
the close screen, and what a lead's phone is given to appeal."""

import io
import re

from sqlalchemy import select

from inspector.extensions import db
from inspector.models import Appeal, ChecklistItem, Photo, Response, ResponsePhoto, Role
from inspector.periods import local_date
from inspector.photos.services import storage
from tests import factories
from tests.appeals.conftest import appeal_body
from tests.images import jpeg_bytes


def sign_in(client, user):
    client.post("/logout")
    answer = client.post(
        "/login", data={"username": user.username, "password": "correct-horse-battery"}
    )
    assert answer.status_code in (302, 303)


def test_a_lead_files_by_form_and_a_supervisor_overturns_by_form(client, world):
    sign_in(client, world.users["lead"])
    page = client.get(f"/inspections/{world.a['id']}").text
    assert 'data-item-appeal="smoking"' in page and 'data-item-appeal="documents"' not in page
    form = {"uuid": "6f1d2c3b-0000-4000-8000-000000000001", "inspection": world.a["id"],
            "item": "smoking", "reason": "来访人员吸烟，已劝离",
            "photos": (io.BytesIO(jpeg_bytes()), "evidence.jpg")}  # fmt: skip
    filed = client.post("/appeals/new", data=form, content_type="multipart/form-data")
    assert filed.status_code == 303
    appeal = db.session.scalar(select(Appeal))
    assert (appeal.reason, len(appeal.photos)) == ("来访人员吸烟，已劝离", 1)
    again = {**form, "photos": (io.BytesIO(jpeg_bytes()), "evidence.jpg")}
    client.post("/appeals/new", data=again, content_type="multipart/form-data")
    assert db.session.query(Appeal).count() == 1  # a double tap files once
    assert "申诉待裁定" in client.get(f"/inspections/{world.a['id']}").text

    sign_in(client, world.users["supervisor"])
    home = client.get("/").text
    assert re.search(
        r'href="/appeals/">\s*<span class="figure">1</span>\s*<span class="label">项申诉待裁定',
        home,
    )
    assert f'data-appeal="{appeal.uuid}"' in client.get("/appeals/").text
    ruling = client.get(f"/appeals/{appeal.uuid}").text
    assert "来访人员吸烟" in ruling and 'value="pass"' in ruling and 'value="na"' in ruling
    day = local_date(world.when, "Asia/Shanghai")
    close = client.get(f"/scores/close?period={day}..{day}").text
    assert appeal.uuid in close and 'name="confirm"' not in close
    sheet = client.get(f"/scores/?period={day}..{day}").text
    assert 'data-provisional="finance"' in sheet
    ruling = {"decision": "overturn", "answer": "pass", "comment": "改判"}
    decided = client.post(f"/appeals/{appeal.uuid}/decision", data=ruling)
    assert decided.status_code == 303
    db.session.refresh(appeal)
    assert appeal.status == "overturned" and appeal.inspection.percent == 92.9
    page = client.get(f"/inspections/{world.a['id']}").text
    assert 'data-amendment="smoking"' in page and "75.0% → 92.9%" in page
    assert 'data-provisional="finance"' not in client.get(f"/scores/?period={day}..{day}").text
    sign_in(client, world.users["inspector"])  # the inspector's work list shows the ruling
    rows = {r["id"]: r for r in client.get("/field/data.json").json["inspections"]}
    assert (rows[world.a["id"]]["amended"], rows[world.b["id"]]["amended"]) == (True, False)


def test_a_leads_phone_lists_what_it_may_appeal(client, world):
    sign_in(client, world.users["lead"])
    data = client.get("/field/data.json").json["appeals"]
    assert {(d["item"], d["answer"]) for d in data["appealable"]} == {
        ("smoking", "不合格"),
        ("litter", "2 处"),
    }
    # What the inspector photographed comes with it, and the lead may see it (offline too).
    photos = {d["item"]: d["photos"] for d in data["appealable"]}
    assert len(photos["smoking"]) == 1 and photos["litter"] == []
    assert client.get(photos["smoking"][0]).status_code == 404  # the factory stored no file
    uuid = photos["smoking"][0].split("/")[-2]
    photo = db.session.scalar(select(Photo).where(Photo.uuid == uuid))
    storage().save(photo.thumb_key, jpeg_bytes((320, 240), (200, 40, 40)), "image/jpeg")
    with client.get(photos["smoking"][0]) as shown:
        assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
    world.call("lead", "PUT", "/api/v1/appeals/6f1d2c3b-0000-4000-8000-000000000002",
               json=appeal_body(world.a, "litter"))  # fmt: skip
    data = client.get("/field/data.json").json["appeals"]
    assert [d["item"] for d in data["appealable"]] == ["smoking"]
    assert [(a["item"], a["status"], a["mine"]) for a in data["appeals"]] == [
        ("litter", "pending", True)  # its author may withdraw it from the phone
    ]
    colleague = factories.new_user(
        Role.LEAD, department=world.users["lead"].department, username="lead-finance-2"
    )
    db.session.commit()
    sign_in(client, colleague)  # sees the department's appeal, may not withdraw it
    data = client.get("/field/data.json").json["appeals"]
    assert [(a["item"], a["mine"]) for a in data["appeals"]] == [("litter", False)]
    sign_in(client, world.users["inspector"])
    assert client.get("/field/data.json").json["appeals"] == {"appealable": [], "appeals": []}


def test_a_leads_field_data_costs_the_same_queries_however_many_photos(client, world):
    """The deductions' items and photos load with their inspections: no query per answer."""
    from sqlalchemy import event

    def statements():
        seen = []
        listener = lambda *_args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/field/data.json").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    sign_in(client, world.users["lead"])
    before = statements()
    response = db.session.scalar(
        select(Response).join(Response.item).where(ChecklistItem.key == "litter").limit(1)
    )
    for position in range(3):  # three more photos on a deduction the lead may appeal
        photo = factories.new_photo(world.users["inspector"])
        db.session.flush()
        response.photos.append(ResponsePhoto(photo_id=photo.id, position=position + 1))
    db.session.commit()
    assert statements() == before

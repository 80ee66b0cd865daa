"""Activity records over the API: idempotent by uuid, edits by their author audited."""

import io
import uuid

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from inspector.activities.services import save_kind
from inspector.extensions import db
from inspector.models import AuditEvent, Role, StoredFile
from tests import factories
from tests.hostile import REFUSED
from tests.images import jpeg_bytes


@pytest.fixture
def world(app):
    d = factories.new_department(code="d")
    e = factories.new_department(code="e")
    save_kind(None, "political-study", "政治学习", 1)
    save_kind(None, "cleanup", "大扫除", 1)
    db.session.commit()
    return d, e


def body(**fields):
    return {"kind": "political-study", "title": "周五政治学习", "date": "2026-11-27", **fields}


def put(api, ident, data):
    return api.put(f"/api/v1/activities/{ident}", json=data)


def test_record_repeat_and_edit(api, world):
    api.as_role(Role.INSPECTOR)
    ident = str(uuid.uuid4())
    first = put(api, ident, body(department="d", participants=23, place="三楼会议室"))
    assert first.status_code == 201, first.text
    assert first.json["department"] == "d" and first.json["participants"] == 23
    again = put(api, ident, body(department="d", participants=23, place="三楼会议室"))
    assert again.status_code == 200 and again.json == first.json
    edited = put(api, ident, body(department="d", participants=25, place="三楼会议室"))
    assert edited.status_code == 200 and edited.json["participants"] == 25
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_id == ident)).all()
    assert [e.action for e in events] == ["activity.create", "activity.edit"]
    assert events[1].details["changed"] == {"participants": [23, 25]}


def test_someone_else_may_not_change_it(api, world):
    api.as_role(Role.INSPECTOR)
    ident = str(uuid.uuid4())
    assert put(api, ident, body()).status_code == 201
    api.as_role(Role.INSPECTOR)
    assert put(api, ident, body()).status_code == 200  # a retry changes nothing
    assert put(api, ident, body(title="改了")).status_code == 403


def test_a_lead_records_only_their_department(api, world):
    d, _e = world
    api.as_role(Role.LEAD, department=d)
    own = put(api, str(uuid.uuid4()), body())
    assert own.status_code == 201 and own.json["department"] == "d"
    assert put(api, str(uuid.uuid4()), body(department="e")).status_code == 403


def test_faults_are_named(api, world):
    api.as_role(Role.INSPECTOR)
    answer = put(
        api,
        str(uuid.uuid4()),
        body(kind="nope", department="zz", date="2026-02-30", photos=[str(uuid.uuid4())]),
    )
    assert answer.status_code == 422
    assert set(answer.json["error"]["fields"]) == {"kind", "department", "date", "photos"}


def test_list_filters_and_kinds(api, world):
    api.as_role(Role.SUPERVISOR)
    put(api, str(uuid.uuid4()), body(department="d"))
    put(api, str(uuid.uuid4()), body(kind="cleanup", department="e", date="2026-10-02"))
    listed = api.get("/api/v1/activities?from=2026-11-01&to=2026-11-30").json["items"]
    assert [a["kind"] for a in listed] == ["political-study"]
    assert len(api.get("/api/v1/activities?department=e").json["items"]) == 1
    assert len(api.get("/api/v1/activities?kind=cleanup").json["items"]) == 1
    kinds = api.get("/api/v1/activity-kinds").json
    assert [k["code"] for k in kinds["items"]] == ["political-study", "cleanup"]
    assert kinds["next"] is None


def test_activity_with_photo_and_file(api, world):
    api.as_role(Role.INSPECTOR)
    photo, document = str(uuid.uuid4()), str(uuid.uuid4())
    sent = api.put(f"/api/v1/photos/{photo}", data={"file": (io.BytesIO(jpeg_bytes()), "a.jpg")})
    assert sent.status_code == 201
    assert upload(api, document, PDF, "签到表.pdf").status_code == 201
    answer = put(api, str(uuid.uuid4()), body(photos=[photo], files=[document]))
    assert answer.status_code == 201, answer.text
    assert answer.json["photos"] == [photo] and answer.json["files"] == [document]


PDF = b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\n%%EOF"


def office(kind):
    buffer = io.BytesIO()
    if kind == "xlsx":
        Workbook().save(buffer)
    else:
        import zipfile

        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(api, ident, data, name):
    return api.put(f"/api/v1/files/{ident}", data={"file": (io.BytesIO(data), name)})


KINDS = [
    (PDF, "方案.pdf", "application/pdf", "方案.pdf"),
    (office("docx"), "总结.doc", "application/vnd.openxmlformats-officedocument"
     ".wordprocessingml.document", "总结.docx"),
    (office("xlsx"), "../../台账.xlsx", "application/vnd.openxmlformats-officedocument"
     ".spreadsheetml.sheet", "台账.xlsx"),
    (jpeg_bytes(), "photo.png", "image/jpeg", "photo.jpg"),
]  # fmt: skip


def test_files_are_kept_as_downloads_of_their_real_kind(api):
    api.as_role(Role.INSPECTOR)
    for data, name, media_type, saved_as in KINDS:
        ident = str(uuid.uuid4())
        first = upload(api, ident, data, name)
        assert first.status_code == 201, first.text
        assert first.json["media_type"] == media_type and first.json["name"] == saved_as
        assert first.json["size"] == len(data)
        assert upload(api, ident, data, name).json == first.json
        assert upload(api, ident, data + b"x", name).status_code == 409
        with api.get(f"/files/{ident}") as served:
            assert served.get_data() == data
            assert served.headers["Content-Disposition"].startswith("attachment")
            assert served.headers["X-Content-Type-Options"] == "nosniff"


def test_hostile_files_are_refused_like_photos(api):
    api.as_role(Role.INSPECTOR)
    for name, filename, data, status in REFUSED:
        if name == "pdf":
            continue  # a PDF is a document we keep (served only as a download)
        answer = upload(api, str(uuid.uuid4()), data, filename)
        assert answer.status_code == status, (name, answer.text)
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 0


def test_files_over_the_limit_are_413(api, app):
    app.config["FILE_MAX_BYTES"] = 1000
    api.as_role(Role.INSPECTOR)
    assert upload(api, str(uuid.uuid4()), PDF + b"0" * 2000, "big.pdf").status_code == 413

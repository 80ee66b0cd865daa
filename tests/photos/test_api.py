"""PUT /api/v1/photos/{uuid}: accepted kinds, refusals, idempotency, who sees what."""

import io
import uuid

import pytest
from PIL import Image

from inspector.extensions import db
from inspector.models import Photo, Role
from tests import factories
from tests.images import jpeg_bytes, png_bytes


def upload(api, data, name="photo.jpg", target=None, **fields):
    target = target or str(uuid.uuid4())
    return api.put(
        f"/api/v1/photos/{target}",
        data={"file": (io.BytesIO(data), name), **fields},
        content_type="multipart/form-data",
    )


def png_bomb():
    buffer = io.BytesIO()
    Image.new("1", (30000, 30000)).save(buffer, "PNG")
    return buffer.getvalue()


def test_upload_answers_201_with_the_contract_fields(api):
    api.as_role(Role.INSPECTOR)
    response = upload(
        api,
        jpeg_bytes((4000, 3000)),
        taken_at="2026-11-23T09:30:00+08:00",
        lat="30.97",
        lon="103.94",
    )
    assert response.status_code == 201
    body = response.json
    assert {"id", "sha256", "width", "height", "taken_at", "url", "thumb_url"} <= set(body)
    assert (body["width"], body["height"]) == (4000, 3000)
    assert body["taken_at"] == "2026-11-23T01:30:00+00:00"
    with api.get(body["thumb_url"]) as thumb:
        assert thumb.status_code == 200
        assert max(Image.open(io.BytesIO(thumb.data)).size) == 320
    with api.get(body["url"]) as display:
        assert max(Image.open(io.BytesIO(display.data)).size) == 1600


def test_same_uuid_same_bytes_is_200_other_bytes_409(api):
    api.as_role(Role.INSPECTOR)
    target = str(uuid.uuid4())
    first = upload(api, jpeg_bytes(), target=target)
    again = upload(api, jpeg_bytes(), target=target)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json == again.json
    other = upload(api, jpeg_bytes(colour=(0, 0, 255)), target=target)
    assert other.status_code == 409
    assert db.session.query(Photo).count() == 1


@pytest.mark.parametrize(
    "data, name, status",
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "x.svg", 415),
        (b"<html><script>alert(1)</script></html>", "renamed.jpg", 415),
        (b"", "empty.jpg", 415),
        (b"GIF89a" + b"\x00" * 100, "anim.gif", 415),
        (jpeg_bytes()[:600], "truncated.jpg", 422),
        (png_bomb(), "bomb.png", 422),
    ],
)
def test_refusals(api, data, name, status):
    api.as_role(Role.INSPECTOR)
    response = upload(api, data, name)
    assert response.status_code == status
    assert response.json["error"]["message"]
    assert db.session.query(Photo).count() == 0


def test_60_mb_body_is_413(api):
    api.as_role(Role.INSPECTOR)
    # A raw body: the server must refuse it by its length, before parsing any of it.
    body = b"--b\r\nContent-Disposition: form-data; name=file; filename=x.jpg\r\n\r\n"
    body += b"\xff\xd8\xff" + b"\x00" * (60 * 1024 * 1024) + b"\r\n--b--\r\n"
    response = api.put(
        f"/api/v1/photos/{uuid.uuid4()}", data=body, content_type="multipart/form-data; boundary=b"
    )
    assert response.status_code == 413
    assert response.json["error"]["code"] == "too_large"


def test_png_is_accepted_and_reencoded_as_jpeg(api):
    api.as_role(Role.INSPECTOR)
    body = upload(api, png_bytes(), "screen.png").json
    with api.get(body["url"]) as display:
        assert display.data.startswith(b"\xff\xd8")


def test_missing_file_field_is_422(api):
    api.as_role(Role.INSPECTOR)
    response = api.put(
        f"/api/v1/photos/{uuid.uuid4()}", data={"other": "x"}, content_type="multipart/form-data"
    )
    assert response.status_code == 422 and "file" in response.json["error"]["fields"]


@pytest.mark.parametrize("field, value", [("lat", "91"), ("lon", "east"), ("taken_at", "noon")])
def test_bad_metadata_fields_are_422(api, field, value):
    api.as_role(Role.INSPECTOR)
    response = upload(api, jpeg_bytes(), **{field: value})
    assert response.status_code == 422 and field in response.json["error"]["fields"]


def test_photos_are_private_to_those_who_may_see_them(api):
    api.as_role(Role.INSPECTOR)
    body = upload(api, jpeg_bytes()).json
    api.as_role(Role.INSPECTOR)  # another inspector
    assert api.get(body["thumb_url"]).status_code == 404
    api.as_role(Role.LEAD)
    assert api.get(body["thumb_url"]).status_code == 404
    api.as_role(Role.SUPERVISOR)
    with api.get(body["thumb_url"]) as thumb:
        assert thumb.status_code == 200
    api.token = None
    assert api.get(body["thumb_url"]).status_code == 401


def test_a_shared_phone_never_shows_a_photo_from_the_last_users_cache(api):
    """Browsers must ask again every time, so the permission check runs for each user."""
    api.as_role(Role.INSPECTOR)
    body = upload(api, jpeg_bytes()).json
    with api.get(body["thumb_url"]) as thumb:
        assert thumb.headers["Cache-Control"] == "private, no-cache"
        etag = thumb.headers["ETag"]
    with api.get(body["thumb_url"], headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304  # cheap for the user who may see it
    api.as_role(Role.INSPECTOR)  # the next user of the phone, with the cached copy's ETag
    assert api.get(body["thumb_url"], headers={"If-None-Match": etag}).status_code == 404


def test_a_lead_sees_photos_of_their_departments_inspections(api):
    department = factories.new_department()
    site = factories.new_site(department=department, code="S1")
    checklist = factories.new_checklist()
    inspector = api.as_role(Role.INSPECTOR)
    photo = upload(api, jpeg_bytes()).json
    body = {
        "template": checklist.id,
        "site": site.code,
        "started_at": "2026-11-23T09:00:00",
        "submit": False,
        "responses": [{"item": "windows", "answer": 2, "photos": [photo["id"]]}],
    }
    assert api.put(f"/api/v1/inspections/{uuid.uuid4()}", json=body).status_code == 201
    api.as_role(Role.LEAD, department=department)
    with api.get(photo["thumb_url"]) as thumb:
        assert thumb.status_code == 200
    # The original, with its EXIF, is for the uploader and reviewers only.
    assert api.get(photo["url"].replace("/display", "/original")).status_code == 404
    api.as_role(Role.SUPERVISOR)
    with api.get(photo["url"].replace("/display", "/original")) as original:
        assert original.status_code == 200 and original.data.startswith(b"\xff\xd8")
        assert original.headers["Content-Disposition"].startswith("attachment")
    assert inspector.id

"""Hostile uploads (ASVS V12, OWASP File Upload Cheat Sheet): refused cleanly, or neutralised."""

import io
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from inspector.extensions import db
from inspector.models import Photo, Role
from tests import factories
from tests.hostile import NEUTRALISED, PAYLOAD, REFUSED

# Hostile files are refused or neutralised by the image code, before any row is written.
pytestmark = pytest.mark.sqlite_only


def put(api, data, filename):
    return api.put(
        f"/api/v1/photos/{uuid.uuid4()}",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def photo_count():
    return db.session.scalar(select(func.count()).select_from(Photo))


@pytest.mark.parametrize(
    ("name", "filename", "data", "status"), REFUSED, ids=[r[0] for r in REFUSED]
)
def test_refused_with_a_clear_error_and_nothing_stored(api, app, name, filename, data, status):
    api.as_role(Role.INSPECTOR)
    answer = put(api, data, filename)
    assert answer.status_code == status
    assert answer.json["error"]["code"] in ("unsupported_media_type", "invalid")
    assert answer.json["error"]["message"]
    assert photo_count() == 0
    stored = [p for p in Path(app.instance_path).rglob("*") if p.is_file() and "photos" in p.parts]
    assert stored == []


@pytest.mark.parametrize(("name", "filename", "data"), NEUTRALISED, ids=[n[0] for n in NEUTRALISED])
def test_neutralised_copies_carry_no_payload(api, app, name, filename, data):
    api.as_role(Role.INSPECTOR)
    answer = put(api, data, filename)
    assert answer.status_code == 201, answer.text
    body = answer.json
    for url in (body["url"], body["thumb_url"]):
        with api.get(url) as served:
            assert served.mimetype == "image/jpeg"
            assert served.headers["X-Content-Type-Options"] == "nosniff"
            content = served.get_data()
            assert content.startswith(b"\xff\xd8") and PAYLOAD not in content
            assert b"PK\x03\x04" not in content and b"Exif" not in content
    # The original is kept as evidence, byte for byte, but only ever as a download.
    with api.get(body["url"].replace("/display", "/original")) as original:
        assert original.headers["Content-Disposition"].startswith("attachment")
        assert original.headers["X-Content-Type-Options"] == "nosniff"
        assert original.mimetype == "image/jpeg"
    # Stored under the server's own random keys: nothing from the sent name.
    photo = db.session.scalar(select(Photo))
    for key in (photo.original_key, photo.display_key, photo.thumb_key):
        assert ".." not in key and "passwd" not in key and "<" not in key
        assert photo.uuid in key


def test_web_forms_refuse_hostile_files_with_a_message(client, login_as):
    login_as(Role.INSPECTOR)
    site = factories.new_site()
    db.session.commit()
    answer = client.post(
        "/findings/new",
        data={
            "site": site.code,
            "title": "Litter",
            "uuid": str(uuid.uuid4()),
            "before": (io.BytesIO(REFUSED[0][2]), "photo.svg"),
        },
        content_type="multipart/form-data",
    )
    assert answer.status_code == 200  # the form again, saying what was wrong
    assert "photo.svg" in answer.text
    assert photo_count() == 0


def multipart(fields):
    """A raw multipart body (in memory: the test client would spool a big one to a file)."""
    body = b"".join(
        b"--b\r\nContent-Disposition: form-data; name="
        + name.encode()
        + b"\r\n\r\n"
        + value
        + b"\r\n"
        for name, value in fields
    )
    return body + b"--b--\r\n"


def test_too_many_form_parts_and_too_much_form_text_are_413(client, login_as):
    login_as(Role.INSPECTOR)
    for fields in ([(f"field{n}", b"x") for n in range(1100)], [("title", b"x" * (600 * 1024))]):
        answer = client.post(
            "/findings/new", data=multipart(fields), content_type="multipart/form-data; boundary=b"
        )
        assert answer.status_code == 413


def test_a_huge_urlencoded_form_is_413_with_a_page_that_says_what_to_do(client, login_as):
    site = factories.new_site(code="S1")
    inspection = factories.new_inspection(site, 90.0, datetime.now(UTC))
    db.session.commit()
    login_as(Role.SUPERVISOR)
    page = f"/inspections/{inspection.uuid}"
    # A 5 MB comment, sent the way a form without a file is: urlencoded.
    answer = client.post(
        f"{page}/decision",
        data=b"decision=return&comment=" + b"%E8%84%8F" * (5 * 1024 * 1024 // 9),
        content_type="application/x-www-form-urlencoded",
        headers={"Accept-Language": "en", "Referer": f"http://localhost{page}"},
    )
    assert answer.status_code == 413
    assert "Too much to send at once" in answer.text and f'href="{page}"' in answer.text
    db.session.refresh(inspection)
    assert inspection.status == "submitted"  # nothing saved
    small = client.post(f"{page}/decision", data={"decision": "return", "comment": "窗台积灰"})
    assert small.status_code == 303  # an ordinary form is untouched
    db.session.refresh(inspection)
    assert inspection.review_comment == "窗台积灰"

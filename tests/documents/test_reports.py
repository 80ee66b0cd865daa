"""One inspection's report as a PDF, seen by those who may read the inspection; the campaign
report as a PDF."""

import io
import subprocess
import uuid

import pytest
from sqlalchemy import select

from inspector.extensions import db
from inspector.models import Campaign, Inspection, Response, ResponsePhoto, Role
from inspector.photos.images import BadImage, process_photo
from tests import factories
from tests.images import png_bytes

ZH = {"Accept-Language": "zh"}


def pdf_text(data):
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def pdf_images(data):
    listing = subprocess.run(
        ["pdfimages", "-list", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return len(listing.splitlines()) - 2  # two header lines


def inspection_with_photos():
    return db.session.scalar(
        select(Inspection)
        .join(Response)
        .join(ResponsePhoto)
        .where(Inspection.status == "approved")
        .order_by(Inspection.id)
        .limit(1)
    )


def test_inspection_report_has_answers_photos_score_and_signatures(app, api, demo):
    inspection = inspection_with_photos()
    uuid, site, photos = (
        inspection.uuid,
        inspection.site.name.replace(" ", ""),
        inspection.responses,
    )
    photos = sum(len(response.photos) for response in photos)
    department = inspection.department
    api.as_role(Role.LEAD, department=department)
    answer = api.get(f"/api/v1/inspections/{uuid}/report.pdf", headers=ZH)
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text = pdf_text(answer.data).replace(" ", "")
    assert "检查记录" in text and site in text and uuid in text
    assert f"{inspection.percent}%" in text
    assert "合格" in text and "被检查单位代表" in text and "督查员" in text
    assert pdf_images(answer.data) == photos  # every photo of every answer
    # Someone who may not read the inspection learns nothing of it.
    api.as_role(Role.INSPECTOR, username="outsider")
    assert api.get(f"/api/v1/inspections/{uuid}/report.pdf").status_code == 404
    api.as_role(Role.LEAD, username="lead-elsewhere")  # of another department
    assert api.get(f"/api/v1/inspections/{uuid}/report.pdf").status_code == 404


def test_making_a_pdf_leaves_cut_off_photos_refused(app, api, demo):
    # Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES: afterwards this
    # server process must still refuse a photo cut off in the middle.
    api.as_role(Role.ADMIN)
    uuid = inspection_with_photos().uuid
    assert api.get(f"/api/v1/inspections/{uuid}/report.pdf").status_code == 200
    whole = png_bytes((640, 480))
    with pytest.raises(BadImage):
        process_photo(whole[: len(whole) // 2])


def test_inspection_page_links_its_report(client, login_as, demo):
    inspection = inspection_with_photos()
    login_as(Role.SUPERVISOR)
    page = client.get(f"/inspections/{inspection.uuid}").text
    assert f'href="/inspections/{inspection.uuid}/report.pdf"' in page


def test_campaign_report_pdf_shows_the_before_and_after_pairs(client, login_as, demo):
    campaign = db.session.scalar(select(Campaign).order_by(Campaign.id).limit(1))
    name, pairs = campaign.name, campaign.spots
    with_photos = sum(bool(spot.photos) for spot in pairs)
    login_as(Role.SUPERVISOR)
    assert f"/campaigns/{campaign.id}/report.pdf" in client.get(f"/campaigns/{campaign.id}").text
    answer = client.get(f"/campaigns/{campaign.id}/report.pdf", headers=ZH)
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert name in pdf_text(answer.data).replace(" ", "")
    assert pdf_images(answer.data) >= with_photos > 0


def test_signatures_drawn_on_the_phone_are_kept_and_printed(app, api):
    checklist = factories.new_checklist()
    site = factories.new_site(name="行政中心A区302")
    api.as_role(Role.INSPECTOR)
    signed = {}
    for role in ("inspector", "representative"):
        signed[role] = str(uuid.uuid4())
        upload = {"file": (io.BytesIO(png_bytes((300, 120))), "signature.png")}
        assert api.put(f"/api/v1/photos/{signed[role]}", data=upload).status_code == 201
    body = {
        "template": checklist.id,
        "site": site.code,
        "started_at": "2026-11-23T09:00:00+08:00",
        "responses": factories.ALL_PASS,
        "signatures": {**signed, "representative_name": " 王科长 "},
        "submit": True,
    }
    ident = str(uuid.uuid4())
    answer = api.put(f"/api/v1/inspections/{ident}", json=body)
    assert answer.status_code == 201, answer.json
    assert answer.json["signatures"] == {**signed, "representative_name": "王科长"}
    assert api.put(f"/api/v1/inspections/{ident}", json=body).status_code == 200  # a retry
    report = api.get(f"/api/v1/inspections/{ident}/report.pdf", headers=ZH)
    assert pdf_images(report.data) == 2 and "王科长" in pdf_text(report.data)
    # A signature must have been uploaded by its signer's phone first.
    body["signatures"] = {"representative": str(uuid.uuid4())}
    refused = api.put(f"/api/v1/inspections/{uuid.uuid4()}", json=body)
    assert (
        refused.status_code == 422
        and "signatures.representative" in refused.json["error"]["fields"]
    )

"""One inspection's report as a PDF, seen by those who may read the inspection; the campaign
report as a PDF."""

import subprocess

from sqlalchemy import select

from inspector.extensions import db
from inspector.models import Campaign, Inspection, Response, ResponsePhoto, Role

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

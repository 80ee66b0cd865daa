"""Campaign evidence: originals with capture time, GPS and SHA-256 in both indexes; the report
shows capture times; the spot form makes no choice for the user and leads on to the next spot."""

import csv
import hashlib
import io
import re
import zipfile
from datetime import UTC, datetime

import pytest

from inspector.extensions import db
from inspector.models import Campaign, Finding, Photo, Role
from tests.campaigns.test_campaigns import create_campaign, village  # noqa: F401 (fixture)
from tests.images import jpeg_bytes


def add_spot(client, campaign, site="ghz-01", title="柴草乱堆"):
    return client.post(
        "/findings/new",
        content_type="multipart/form-data",
        data={
            "campaign": campaign.id,
            "site": site,
            "title": title,
            "before": (io.BytesIO(jpeg_bytes()), "before.jpg"),
        },
    )


@pytest.fixture
def campaign(client, login_as, village):  # noqa: F811
    login_as(Role.SUPERVISOR)
    create_campaign(client)
    return db.session.query(Campaign).one()


def test_the_spot_form_starts_on_choose_and_leads_to_the_next_spot(client, campaign):
    form = client.get(f"/findings/new?campaign={campaign.id}").text
    select = form.split('<select id="site"')[1].split("</select>")[0]
    assert '<option value="">请选择…</option>' in select and "selected" not in select
    assert f'href="/campaigns/{campaign.id}"' in form  # the way back
    refused = add_spot(client, campaign, site="")
    assert refused.status_code == 200 and "请选择检查点" in refused.text
    assert db.session.query(Finding).count() == 0
    done = add_spot(client, campaign)
    assert done.status_code == 303 and done.location.endswith(
        f"/findings/new?campaign={campaign.id}"
    )
    assert "已登记点位：柴草乱堆" in client.get(done.location).text


def test_the_archive_holds_originals_and_says_when_and_where_each_was_taken(client, campaign):
    add_spot(client, campaign)
    add_spot(client, campaign, site="ghz-02", title="垃圾未清运")
    dated = db.session.query(Photo).order_by(Photo.id).first()
    dated.taken_at = datetime(2026, 11, 23, 1, 5, tzinfo=UTC)
    dated.lat, dated.lon = 30.123456, 120.654321
    db.session.commit()
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/campaigns/{campaign.id}/export.zip").data))
    original = archive.read("originals/001-ghz-01-before-1.jpg")
    assert hashlib.sha256(original).hexdigest() == dated.sha256
    rows = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
    first, second = rows
    assert first["拍摄时间"] == "2026-11-23 09:05" and second["拍摄时间"] == "拍摄时间不详"
    assert (first["纬度"], first["经度"]) == ("30.123456", "120.654321")
    assert first["原图SHA-256"] == dated.sha256
    assert first["原图文件"] == "originals/001-ghz-01-before-1.jpg"
    html = archive.read("index.html").decode()
    assert "拍摄于 2026年11月23日 09:05" in text_of(html) and "拍摄时间不详" in html
    assert dated.sha256 in html and "30.123456" in html
    report = client.get(f"/campaigns/{campaign.id}/report").text
    assert "拍摄于 2026年11月23日 09:05" in text_of(report) and "拍摄时间不详" in report
    spot = db.session.query(Finding).filter_by(title="柴草乱堆").one()
    assert "拍摄于 2026年11月23日 09:05" in text_of(client.get(f"/findings/{spot.uuid}").text)


def text_of(html):
    """The page's text: a date's parts are each kept whole by a span (i18n/templating.py)."""
    return re.sub(r"<[^>]+>", "", html)

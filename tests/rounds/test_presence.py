"""Proof of presence: a site's location and radius; inspections outside it or without GPS
flagged on review, never refused; printable QR codes that open the site's inspection."""

import re
from datetime import UTC, datetime

import pytest
import segno

from inspector.extensions import db
from inspector.models import Role
from inspector.organization.presence import distance_m, presence
from tests import factories
from tests.conftest import csrf_token_from


class Spot:
    def __init__(self, lat=None, lon=None, radius_m=None):
        self.lat, self.lon, self.radius_m = lat, lon, radius_m


def test_presence_states():
    town_hall = Spot(30.0, 120.0, 100)
    assert presence(town_hall, 30.0005, 120.0)["state"] == "inside"  # about 56 m north
    far = presence(town_hall, 30.01, 120.0)
    assert far["state"] == "outside" and 1100 < far["distance"] < 1120
    assert presence(town_hall, None, None)["state"] == "missing"
    assert presence(Spot(), 30.0, 120.0)["state"] == "unchecked"
    assert distance_m(0, 0, 0, 1) == pytest.approx(111_195, rel=1e-3)


def test_admin_sets_a_radius_and_the_review_flags_an_inspection_outside(client, login_as):
    department = factories.new_department(code="d")
    site = factories.new_site(department=department, code="hall")
    checklist = factories.new_checklist()
    login_as(Role.ADMIN)
    page = client.get(f"/admin/sites/{site.id}")
    form = {"csrf_token": csrf_token_from(page.text), "code": "hall", "name": "大厅",
            "kind": "office", "department": "d", "expected_per_week": "1", "active": "y",
            "lat": "30.0", "lon": "120.0", "radius_m": ""}  # fmt: skip
    answer = client.post(f"/admin/sites/{site.id}", data=form)
    assert answer.status_code == 200 and "radius" in answer.text.lower()  # all three, or none
    answer = client.post(f"/admin/sites/{site.id}", data={**form, "radius_m": "150"})
    assert answer.status_code in (302, 303), answer.text
    db.session.refresh(site)
    assert (site.lat, site.lon, site.radius_m) == (30.0, 120.0, 150)

    moment = datetime(2026, 11, 18, 2, tzinfo=UTC)
    far = factories.new_inspection(site, 90.0, moment, checklist=checklist)
    far.lat, far.lon = 30.01, 120.0
    none = factories.new_inspection(site, 90.0, moment, checklist=checklist)
    near = factories.new_inspection(site, 90.0, moment, checklist=checklist)
    near.lat, near.lon = 30.0004, 120.0
    db.session.commit()
    assert 'data-presence="outside"' in client.get(f"/inspections/{far.uuid}").text
    assert 'data-presence="missing"' in client.get(f"/inspections/{none.uuid}").text
    assert "data-presence" not in client.get(f"/inspections/{near.uuid}").text

    sheet = client.get("/admin/sites/qr?site=hall")
    assert sheet.status_code == 200
    assert re.search(r'data-site="hall">\s*<svg', sheet.text)
    # The code holds the field screen that starts this site's inspection.
    expected = segno.make("http://localhost/field/start/hall", error="m")
    assert expected.svg_inline(scale=4, omitsize=True) in sheet.text
    assert sheet.text.count("<svg") == 1

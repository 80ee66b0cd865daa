"""The printable record of one inspection: every answer, note and photo, with capture times."""

import re
from datetime import UTC, datetime

from inspector.extensions import db
from inspector.models import Response, ResponsePhoto, Role
from tests import factories


def test_the_print_view_shows_every_answer_note_and_photo(client, login_as, app):
    inspector = factories.new_user()
    site = factories.new_site(name="财务办公室")
    inspection = factories.new_inspection(
        site, 50, datetime(2026, 11, 23, 2, tzinfo=UTC), inspector=inspector
    )
    items = {item.key: item for item in inspection.checklist.items}
    dated, undated = factories.new_photo(inspector), factories.new_photo(inspector)
    dated.taken_at = datetime(2026, 11, 23, 1, 5, tzinfo=UTC)
    failed = Response(item=items["desk-dust"], answer="fail", note="桌角积灰", failed=True)
    failed.photos = [
        ResponsePhoto(photo=dated, position=0),
        ResponsePhoto(photo=undated, position=1),
    ]
    inspection.responses = [failed, Response(item=items["smoking"], answer="pass")]
    db.session.commit()
    login_as(Role.SUPERVISOR)
    page = client.get(f"/inspections/{inspection.uuid}/print").text
    assert "财务办公室" in page and "桌角积灰" in page
    assert all(item.text in page for item in inspection.checklist.items)
    assert f"/photos/{dated.uuid}/display" in page and f"/photos/{undated.uuid}/display" in page
    text = re.sub(r"<[^>]+>", "", page)  # the date's parts are each kept whole by a span
    assert "拍摄于 2026年11月23日 09:05" in text and "拍摄时间不详" in text
    assert '<tr class="failed">' in page


def test_only_those_who_may_read_it_see_it_printed(client, login_as, app):
    inspection = factories.new_inspection(factories.new_site(), 80, datetime.now(UTC))
    db.session.commit()
    login_as(Role.INSPECTOR)  # not its author
    assert client.get(f"/inspections/{inspection.uuid}/print").status_code == 404

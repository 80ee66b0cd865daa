"""The coverage screen: a total, earlier weeks, and a due site tapped to start its inspection."""

from datetime import UTC, datetime

from inspector.clock import local_now
from inspector.extensions import db
from inspector.models import Role
from inspector.periods import period_containing
from tests import factories


def test_totals_earlier_weeks_and_tap_to_start(client, login_as, app):
    this_week = period_containing(local_now().date(), "week")
    last_week = this_week.previous()
    done, due = factories.new_site(code="S-1"), factories.new_site(code="S-2")
    when = datetime.combine(last_week.first, datetime.min.time(), tzinfo=UTC).replace(hour=4)
    factories.new_inspection(done, 90, when)
    db.session.commit()
    login_as(Role.INSPECTOR)
    page = client.get("/scores/coverage", headers={"Accept-Language": "en"}).text
    assert "0 of 2 sites done" in page
    assert 'href="/field/start/S-2"' in page and 'href="/field/start/S-1"' in page
    earlier = client.get(
        f"/scores/coverage?period={last_week.key}", headers={"Accept-Language": "en"}
    ).text
    assert "1 of 2 sites done" in earlier and "1 of 2 rounds" in earlier
    assert "/field/start/" not in earlier  # a past week is read, not started
    assert f"period={this_week.key}" in earlier  # on to the next week
    assert due.code == "S-2"

"""The review queue: filters by department, inspector, site and dates; bulk approve."""

from datetime import UTC, datetime, timedelta

import pytest

from inspector.extensions import db
from inspector.models import AuditEvent, ClosedPeriod, Inspection, InspectionStatus, Role
from tests import factories


@pytest.fixture
def queue(app):
    """Three submitted inspections: two in finance (by wang, on 11-23 and 11-25), one in hr."""
    finance = factories.new_department(code="finance", name="财务科")
    hr = factories.new_department(code="hr", name="人事科")
    a302 = factories.new_site(department=finance, code="A-302", name="财务办公室")
    b101 = factories.new_site(department=hr, code="B-101", name="人事办公室")
    wang = factories.new_user(username="wang")
    li = factories.new_user(username="li")
    checklist = factories.new_checklist()
    made = {
        "first": factories.new_inspection(
            a302, 90, datetime(2026, 11, 23, 2, tzinfo=UTC), checklist=checklist, inspector=wang
        ),
        "second": factories.new_inspection(
            a302, 80, datetime(2026, 11, 25, 2, tzinfo=UTC), checklist=checklist, inspector=wang
        ),
        "hr": factories.new_inspection(
            b101, 70, datetime(2026, 11, 25, 3, tzinfo=UTC), checklist=checklist, inspector=li
        ),
    }
    db.session.commit()
    return {name: inspection.uuid for name, inspection in made.items()}


def listed(client, query=""):
    html = client.get(f"/inspections/{query}").text
    return html


FILTER_CASES = [
    ("", {"first", "second", "hr"}),
    ("?department=finance", {"first", "second"}),
    ("?inspector=li", {"hr"}),
    ("?site=A-302&from=2026-11-24", {"second"}),
    ("?to=2026-11-23", {"first"}),
    ("?department=nope", set()),
]


def test_the_queue_narrows_by_each_filter(client, login_as, queue):
    login_as(Role.SUPERVISOR)
    for query, shown in FILTER_CASES:
        html = listed(client, query)
        assert {name for name, uuid in queue.items() if f'value="{uuid}"' in html} == shown, query


def test_a_bad_date_is_named_not_a_500(client, login_as, queue):
    login_as(Role.SUPERVISOR)
    page = client.get("/inspections/?from=2026-13-45", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and "Not a date" in page.text


def test_filters_start_on_all_never_on_a_choice(client, login_as, queue):
    login_as(Role.SUPERVISOR)
    html = listed(client)
    assert "selected" not in html.split('class="card filter"')[1].split("</details>")[0]


def test_bulk_approve_asks_once_then_approves_all_ticked(client, login_as, queue):
    supervisor = login_as(Role.SUPERVISOR)
    ticked = {"uuid": [queue["first"], queue["hr"]], "department": "finance"}
    confirm = client.post("/inspections/approve", data=ticked, headers={"Accept-Language": "en"})
    assert confirm.status_code == 200 and "Approve 2 inspections" in confirm.text
    assert db.session.query(Inspection).filter_by(status=InspectionStatus.APPROVED).count() == 0
    done = client.post("/inspections/approve", data={**ticked, "confirm": "yes"})
    assert done.status_code == 303 and done.location.endswith("/inspections/?department=finance")
    statuses = {i.uuid: i.status for i in db.session.query(Inspection)}
    assert statuses[queue["first"]] == statuses[queue["hr"]] == InspectionStatus.APPROVED
    assert statuses[queue["second"]] == InspectionStatus.SUBMITTED
    events = db.session.query(AuditEvent).filter_by(action="inspection.approve").all()
    assert {e.actor_id for e in events} == {supervisor.id} and len(events) == 2


def test_bulk_approve_names_what_it_could_not_approve(client, login_as, queue):
    supervisor = login_as(Role.SUPERVISOR)
    day = datetime(2026, 11, 23).date()
    db.session.add(
        ClosedPeriod(kind="week", first=day, last=day, closed_by_id=supervisor.id, snapshot={})
    )
    db.session.commit()
    ticked = {"uuid": [queue["first"], queue["second"]], "confirm": "yes"}
    client.post("/inspections/approve", data=ticked, headers={"Accept-Language": "en"})
    page = client.get("/inspections/", headers={"Accept-Language": "en"}).text
    assert "Approved 1 inspection." in page and "Not approved: 财务办公室" in page
    statuses = {i.uuid: i.status for i in db.session.query(Inspection)}
    assert statuses[queue["first"]] == InspectionStatus.SUBMITTED
    assert statuses[queue["second"]] == InspectionStatus.APPROVED


def test_inspectors_may_not_bulk_approve(client, login_as, queue):
    login_as(Role.INSPECTOR)
    answer = client.post("/inspections/approve", data={"uuid": queue["first"], "confirm": "yes"})
    assert answer.status_code == 403


def test_the_queue_is_in_the_order_of_the_times_it_shows(client, login_as, queue):
    """Newest submission first, whatever was changed last (a note, a correction's review)."""
    first = db.session.query(Inspection).filter_by(uuid=queue["first"]).one()
    first.updated_at = datetime.now(UTC) + timedelta(hours=1)  # touched last, submitted first
    db.session.commit()
    login_as(Role.SUPERVISOR)
    html = listed(client)
    positions = [html.index(f'value="{queue[name]}"') for name in ("hr", "second", "first")]
    assert positions == sorted(positions)

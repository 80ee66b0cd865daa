"""Events are recorded in the transaction of the change that causes them (an outbox)."""

from datetime import date

import pytest
from sqlalchemy import select

from inspector import events
from inspector.events.records import SERIALIZERS
from inspector.extensions import db
from inspector.models import Event, Finding, Role
from inspector.periods import parse_period
from inspector.scores.closing import close_period
from tests import factories
from tests.notifications.records import office, submitted_inspection


def recorded(**where):
    db.session.commit()
    stmt = select(Event).order_by(Event.id)
    for name, value in where.items():
        stmt = stmt.where(getattr(Event, name) == value)
    return db.session.scalars(stmt).all()


def test_a_submission_records_itself_and_the_findings_it_opens_as_the_api_shows_them(api):
    _department, site, checklist = office()
    api.as_role(Role.INSPECTOR)
    inspection = submitted_inspection(api, site, checklist).json
    submitted, opened = recorded()
    assert (submitted.name, opened.name) == ("inspection.submitted", "finding.opened")
    assert submitted.data == inspection
    assert submitted.record_key == f"inspection:{inspection['id']}"
    finding = api.get(f"/api/v1/findings/{opened.data['id']}").json
    assert opened.data == finding and finding["inspection"] == inspection["id"]
    assert opened.department_id == submitted.department_id is not None


def test_each_step_of_a_record_records_its_event(app, api):
    _department, site, checklist = office()
    api.as_role(Role.INSPECTOR)
    first = submitted_inspection(api, site, checklist).json["id"]
    second = submitted_inspection(api, site, checklist, failing=()).json["id"]
    [finding] = db.session.scalars(select(Finding)).all()
    photo = factories.new_photo(factories.new_user())
    db.session.commit()
    returned = {"decision": "return", "comment": "补拍照片"}
    rejected = {"decision": "reject", "comment": "仍有痰迹"}
    fix = {"after_photos": [photo.uuid]}
    steps = [
        (Role.SUPERVISOR, f"inspections/{first}/review", returned),
        (Role.SUPERVISOR, f"inspections/{second}/review", {"decision": "approve"}),
        (Role.ADMIN, f"findings/{finding.uuid}/fix", fix),
        (Role.SUPERVISOR, f"findings/{finding.uuid}/verify", rejected),
        (Role.ADMIN, f"findings/{finding.uuid}/fix", {**fix, "note": "再次清理"}),
        (Role.SUPERVISOR, f"findings/{finding.uuid}/verify", {"decision": "accept"}),
    ]
    for role, path, body in steps:
        api.as_role(role)
        assert api.post(f"/api/v1/{path}", json=body).status_code == 200
    names = [event.name for event in recorded()][3:]
    assert names == [
        "inspection.returned", "inspection.approved", "finding.fixed", "finding.reopened",
        "finding.fixed", "finding.closed",
    ]  # fmt: skip
    closed = recorded(name="finding.closed")[0]
    assert closed.data["status"] == "closed" and closed.data["resolution"] == "accepted"


def test_closing_a_period_records_its_frozen_sheets(app):
    supervisor = factories.new_user(Role.SUPERVISOR)
    closed = close_period(supervisor, parse_period("2026-W40"), app.config, date(2026, 11, 29))
    [event] = recorded(name="period.closed")
    assert event.data["period"] == "2026-W40" and event.data["kind"] == "week"
    assert (event.data["from"], event.data["to"]) == ("2026-09-28", "2026-10-04")
    assert event.data["closed_by"] == supervisor.username and event.data["id"] == closed.id
    assert event.data["final"]["closed"] is True
    assert set(event.data["final"]) == {"from", "to", "closed", "departments"}


def test_a_change_that_is_rolled_back_leaves_no_event(app):
    site, author = factories.new_site(), factories.new_user()
    db.session.commit()
    finding = Finding(uuid="5d8f2e1c-0000-4000-8000-000000000001", site_id=site.id,
                      department_id=site.department_id, title="乱堆乱放",
                      created_by_id=author.id)  # fmt: skip
    db.session.add(finding)
    events.record(None, "finding.opened", finding)
    db.session.rollback()
    assert recorded() == []
    db.session.add(finding)
    events.record(None, "finding.opened", finding)
    db.session.commit()
    assert [event.name for event in recorded()] == ["finding.opened"]


class Appeal:
    """Stands in for the appeals to come: any record with an id."""

    def __init__(self, uuid, department_id):
        self.uuid, self.department_id = uuid, department_id


@pytest.fixture
def appeals():
    events.register(Appeal, lambda appeal, today: {"id": appeal.uuid, "status": "pending"})
    yield
    SERIALIZERS.pop(Appeal)


def test_a_new_emitter_is_one_line(app, appeals):
    department = factories.new_department()
    events.record(None, "appeal.filed", Appeal("a-1", department.id))
    [event] = recorded()
    assert (event.name, event.record_key, event.department_id) == (
        "appeal.filed",
        "appeal:a-1",
        department.id,
    )
    assert event.data == {"id": "a-1", "status": "pending"}


def test_unknown_event_names_are_refused(app):
    with pytest.raises(ValueError, match="unknown event"):
        events.record(None, "finding.deleted", object())

"""The phone's side of rounds: the assignments in the field data kept for offline use, and an
assignment closed through the session (as the send queue does), photo first."""

import uuid

from inspector.extensions import db
from inspector.models import Role
from inspector.rounds.services import create_round
from tests import factories
from tests.images import jpeg_bytes


def test_field_data_lists_my_assignments_and_the_queue_can_close_one(client, login_as, phone):
    department = factories.new_department(code="a")
    site = factories.new_site(department=department, code="a-1")
    factories.new_site(department=department, code="a-2")
    checklist = factories.new_checklist()
    me = login_as(Role.INSPECTOR)
    other = factories.new_user(Role.INSPECTOR)
    planner = factories.new_user(Role.SUPERVISOR)
    from inspector.clock import local_now

    today = local_now().date().isoformat()
    round_, _ = create_round(planner, {
        "title": "周检", "template": checklist.id, "from": today, "to": today,
        "sites": ["a-1", "a-2"], "inspectors": [me.username], "assign": {"a-2": other.username},
    })  # fmt: skip
    db.session.commit()
    data = phone.data()
    [mine] = data["assignments"]
    assert mine["site"] == site.code and mine["status"] == "open" and mine["started"]
    assert mine["template_code"] == checklist.code and mine["round_title"] == "周检"
    assert mine["window"][0].endswith("+00:00") and mine["window"][0] < mine["window"][1]

    photo = str(uuid.uuid4())
    assert phone.put_photo(photo, jpeg_bytes()).status_code == 201
    url = f"/api/v1/assignments/{mine['id']}/outcome"
    refused = phone.send("POST", url, json={"status": "unable", "reason": "", "photos": [photo]})
    assert refused.status_code == 422
    answer = phone.send("POST", url, json={"status": "unable", "reason": "封路", "photos": [photo]})
    assert answer.status_code == 200, answer.text
    assert phone.data()["assignments"][0]["status"] == "unable"
    assert round_.assignments[0].outcome == "unable"

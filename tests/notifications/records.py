"""Records for the notification tests, made through the API as people make them."""

import uuid

from inspector.demo.checklists import OFFICE_WEEKLY
from inspector.models import Role
from tests import factories


def answers(failing=("floor-spit",)):
    """Answers to every item of the office checklist; the `failing` ones lose points."""
    chosen = []
    for section in OFFICE_WEEKLY["sections"]:
        for item in section["items"]:
            kind, key = item["type"], item["key"]
            if kind == "check":
                answer = "pass"
            elif kind == "scale":
                answer = item["points"]
            elif kind == "deduct":
                answer = {"count": 2 if key in failing else 0}
            else:
                answer = "好"
            chosen.append({"item": key, "answer": answer})
    return chosen


def submitted_inspection(api, site, checklist, failing=("floor-spit",)):
    """PUT a submitted inspection as the api's current user; return the answer."""
    body = {
        "template": checklist.id,
        "site": site.code,
        "started_at": "2026-11-23T09:00:00+08:00",
        "responses": answers(failing),
        "submit": True,
    }
    answer = api.put(f"/api/v1/inspections/{uuid.uuid4()}", json=body)
    assert answer.status_code == 201, answer.text
    return answer


def office(code="finance", name="财务科"):
    department = factories.new_department(code=code, name=name)
    site = factories.new_site(department=department, code=f"{code}-302", name="A区302办公室")
    return department, site, factories.new_checklist()


def access_records(users):
    """For tests/access_control.csv: a message for the inspector, a webhook, a robot and a
    failed delivery; the values of their {placeholders}."""
    from inspector.extensions import db
    from inspector.models import Channel, Delivery, Notification

    note = Notification(user_id=users["inspector"].id, name="finding.opened", data={"id": "x"})
    hook = Channel(kind="webhook", target="http://127.0.0.1:9/hook", secret="s", events=["*"])
    robot = Channel(kind="wecom", target="http://127.0.0.1:9/send?key=k", events=["*"])
    db.session.add_all([note, hook, robot])
    db.session.flush()
    failed = Delivery(uuid=str(uuid.uuid4()), name="test", channel_id=hook.id, kind="webhook",
                      target=f"channel:{hook.id}", record_key="test", payload="{}",
                      status="failed", attempts=1)  # fmt: skip
    db.session.add(failed)
    db.session.flush()
    return {
        "notification_id": note.id,
        "webhook_id": hook.id,
        "channel_id": robot.id,
        "delivery_id": failed.id,
    }


def register(api, url, events=("*",), **extra):
    api.as_role(Role.ADMIN)
    answer = api.post("/api/v1/webhooks", json={"url": url, "events": list(events), **extra})
    assert answer.status_code == 201, answer.text
    return answer.json


def open_finding(api, site, title="楼道堆放杂物"):
    ident = str(uuid.uuid4())
    answer = api.put(f"/api/v1/findings/{ident}", json={"site": site.code, "title": title})
    assert answer.status_code == 201, answer.text
    return answer


def deliveries_of(api, hook, role=Role.ADMIN):
    api.as_role(role)
    return api.get(f"/api/v1/webhooks/{hook['id']}/deliveries").json["items"]

"""Records for the notification tests, made through the API as people make them."""

import uuid

from inspector.demo.checklists import OFFICE_WEEKLY
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

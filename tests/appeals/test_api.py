"""Appeals through the API: filing, the window and its refusals, rulings and amendments.

Scores are worked out by hand from the office checklist (28 points: documents 3, desk-dust 2,
floor-spit 4, windows 3, smoking 5 critical, litter 5, mandarin 2, parking 4).
"""

import io
import uuid

from sqlalchemy import select

from inspector.extensions import db
from inspector.models import AuditEvent, Event, Finding
from inspector.periods import local_date
from tests.appeals.conftest import appeal_body, submit
from tests.factories import ALL_PASS, replace
from tests.images import jpeg_bytes


def url(target=None):
    return f"/api/v1/appeals/{target or uuid.uuid4()}"


def sheet(world):
    day = local_date(world.when, "Asia/Shanghai").isoformat()
    answer = world.call("supervisor", "GET", f"/api/v1/scores?from={day}&to={day}")
    rows = answer.json["departments"]
    keys = ("percent", "grade", "rank", "vetoed")
    return {row["department"]: tuple(row[k] for k in keys) for row in rows if row["inspections"]}


def inspection(world, data, who="supervisor"):
    return world.call(who, "GET", f"/api/v1/inspections/{data['id']}").json


def test_file_once_then_the_same_body_again_is_200(world):
    target, body = url(), appeal_body(world.a, "smoking")
    first = world.call("lead", "PUT", target, json=body)
    assert first.status_code == 201, first.text
    assert first.json["status"] == "pending" and first.json["item"] == "smoking"
    assert first.json["inspection"] == world.a["id"] and first.json["decision"] is None
    again = world.call("lead", "PUT", target, json=body)
    assert again.status_code == 200 and again.json == first.json
    changed = world.call("lead", "PUT", target, json={**body, "reason": "另有理由"})
    assert changed.status_code == 409
    second = world.call("deputy", "PUT", url(), json=body)  # the same item again
    assert second.status_code == 409
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("appeal.%"))
    )
    assert list(actions) == ["appeal.file"]


def test_who_may_appeal(world):
    body = appeal_body(world.a, "smoking")
    assert world.call("other_lead", "PUT", url(), json=body).status_code == 404
    for who in ("inspector", "supervisor", "admin"):
        assert world.call(who, "PUT", url(), json=body).status_code == 403, who
    missing = appeal_body({"id": str(uuid.uuid4())}, "smoking")
    assert world.call("lead", "PUT", url(), json=missing).status_code == 404
    target = url()
    assert world.call("lead", "PUT", target, json=body).status_code == 201
    # Seeing it: its department, the inspector who made the inspection, reviewers.
    for who, status in [("other_lead", 404), ("other_inspector", 404), ("inspector", 200),
                        ("deputy", 200), ("supervisor", 200)]:  # fmt: skip
        assert world.call(who, "GET", target).status_code == status, who
    assert world.call("deputy", "POST", f"{target}/withdraw").status_code == 403
    assert world.call("other_lead", "POST", f"{target}/withdraw").status_code == 404
    decision = {"decision": "uphold", "comment": "照片清楚"}
    assert world.call("lead", "POST", f"{target}/decision", json=decision).status_code == 403


def test_refusals_name_their_reason(app, world):
    def refused(who, body):
        answer = world.call(who, "PUT", url(), json=body)
        assert answer.status_code == 422, answer.text
        return answer.json["error"]["code"]

    assert refused("lead", appeal_body(world.a, "documents")) == "item_not_deducted"  # passed
    assert refused("lead", appeal_body(world.a, "remarks")) == "item_not_deducted"  # text
    assert refused("other_lead", appeal_body(world.b, "parking")) == "item_not_deducted"
    app.config["APPEAL_DAYS"] = 0  # submitted a day ago: the window has passed
    assert refused("lead", appeal_body(world.a, "smoking")) == "appeal_window"
    app.config["APPEAL_DAYS"] = 3
    from inspector.periods import parse_period
    from inspector.scores.closing import close_period

    day = local_date(world.when, "Asia/Shanghai")
    close_period(world.users["supervisor"], parse_period(f"{day}..{day}"), app.config, day,
                 early=True)  # fmt: skip
    db.session.commit()
    assert refused("lead", appeal_body(world.a, "smoking")) == "period_closed"


def test_overturn_amends_the_inspection_and_the_sheet_follows(world):
    assert sheet(world) == {
        "finance": (75.0, "fail", 2, True),  # 21/28, smoking failed: vetoed
        "works": (92.9, "excellent", 1, False),  # 26/28
    }
    finding = db.session.scalar(select(Finding).where(Finding.title == "公共场所无吸烟"))
    target = url()
    world.call("lead", "PUT", target, json=appeal_body(world.a, "smoking"))
    ruling = {"decision": "overturn", "answer": "pass", "comment": "吸烟者为来访人员"}
    decided = world.call("supervisor", "POST", f"{target}/decision", json=ruling)
    assert decided.status_code == 200, decided.text
    assert decided.json["status"] == "overturned"
    assert decided.json["decision"]["answer"] == "pass"
    assert world.call("supervisor", "POST", f"{target}/decision", json=ruling).status_code == 200
    uphold = {"decision": "uphold", "comment": "改判"}
    assert world.call("supervisor", "POST", f"{target}/decision", json=uphold).status_code == 409

    data = inspection(world, world.a)
    answers = {r["item"]: r for r in data["responses"]}
    assert answers["smoking"]["answer"] == "pass" and answers["smoking"]["failed"] is False
    assert data["score"] == {"earned": 26, "possible": 28, "percent": 92.9}
    assert data["critical_failed"] is False
    [amendment] = data["amendments"]
    assert {k: amendment[k] for k in ("item", "from", "to", "appeal", "by")} == {
        "item": "smoking", "from": "fail", "to": "pass", "appeal": target.rsplit("/", 1)[1],
        "by": "wang",
    }  # fmt: skip
    assert amendment["score_before"] == {"earned": 21, "possible": 28, "percent": 75.0}
    assert amendment["score_after"] == {"earned": 26, "possible": 28, "percent": 92.9}
    assert inspection(world, world.a, who="inspector") == data  # the inspector sees the ruling
    # The answer as given is kept; the sheet (cached before) follows the ruling at once.
    assert sheet(world) == {
        "finance": (92.9, "excellent", 1, False),
        "works": (92.9, "excellent", 1, False),
    }
    db.session.refresh(finding)
    assert (finding.status, finding.resolution) == ("closed", "overturned")
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"appeal.file", "appeal.overturn", "inspection.amend", "finding.overturn"} <= actions
    # The outbox (webhooks, notifications): filed, decided, the finding closed.
    outbox = db.session.execute(
        select(Event.name, Event.data).where(Event.record_key.like("appeal:%"))
    ).all()
    assert [(name, data["status"]) for name, data in outbox] == [
        ("appeal.filed", "pending"),
        ("appeal.decided", "overturned"),
    ]
    assert outbox[1][1] == decided.json  # the record as the API's GET answers it
    closed = select(Event.data).where(Event.name == "finding.closed")
    assert [data["resolution"] for data in db.session.scalars(closed)] == ["overturned"]


def test_overturn_of_each_answer_type(world):
    """A deduct to a smaller count, a scale to a higher mark, a check to N/A."""
    c = submit(world, "inspector", "F-1", replace(ALL_PASS, "mandarin", answer="fail"),
               world.when)  # fmt: skip
    cases = [
        (world.a, "litter", {"count": 1}, "lead", {"earned": 22, "possible": 28, "percent": 78.6}),
        (world.b, "windows", 3, "other_lead", {"earned": 28, "possible": 28, "percent": 100.0}),
        (c, "mandarin", "na", "lead", {"earned": 26, "possible": 26, "percent": 100.0}),
    ]
    for record, item, corrected, lead, score in cases:
        target = url()
        filed = world.call(lead, "PUT", target, json=appeal_body(record, item))
        assert filed.status_code == 201, filed.text
        worse = {"decision": "overturn", "answer": {"count": 3} if item == "litter" else "fail",
                 "comment": "x"}  # fmt: skip
        assert world.call("admin", "POST", f"{target}/decision", json=worse).status_code == 422
        ruling = {"decision": "overturn", "answer": corrected, "comment": "复核后改判"}
        assert world.call("admin", "POST", f"{target}/decision", json=ruling).status_code == 200
        assert inspection(world, record)["score"] == score, item
    # Finance: A (smoking still failed) 78.6 and C 100.0 → 89.3, vetoed; works 100.0.
    assert sheet(world) == {
        "works": (100.0, "excellent", 1, False),
        "finance": (89.3, "fail", 2, True),
    }


def test_the_corrected_answer_must_be_valid_and_lose_fewer_points(world):
    target = url()
    world.call("lead", "PUT", target, json=appeal_body(world.a, "litter"))
    for ruling in [
        {"decision": "overturn", "answer": {"count": 2}, "comment": "same"},
        {"decision": "overturn", "answer": "pass", "comment": "not an answer to a deduct item"},
        {"decision": "overturn", "comment": "no answer"},
        {"decision": "overturn", "answer": {"count": 0}},  # no comment
    ]:
        answer = world.call("supervisor", "POST", f"{target}/decision", json=ruling)
        assert answer.status_code == 422, ruling
    assert inspection(world, world.a)["amendments"] == []


def test_uphold_and_withdraw_change_nothing(world):
    before = inspection(world, world.a)
    upheld, withdrawn = url(), url()
    world.call("lead", "PUT", upheld, json=appeal_body(world.a, "smoking"))
    world.call("lead", "PUT", withdrawn, json=appeal_body(world.a, "litter"))
    ruling = {"decision": "uphold", "comment": "照片显示在办公室内吸烟"}
    answer = world.call("supervisor", "POST", f"{upheld}/decision", json=ruling)
    assert answer.json["status"] == "upheld" and answer.json["decision"]["by"] == "wang"
    gone = world.call("lead", "POST", f"{withdrawn}/withdraw")
    assert gone.status_code == 200 and gone.json["status"] == "withdrawn"
    assert world.call("lead", "POST", f"{withdrawn}/withdraw").status_code == 200
    assert world.call("lead", "POST", f"{upheld}/withdraw").status_code == 409
    late = world.call("supervisor", "POST", f"{withdrawn}/decision", json=ruling)
    assert late.status_code == 409
    after = inspection(world, world.a)
    assert (after["score"], after["amendments"]) == (before["score"], [])


def test_lists_filter_by_status_and_department(world):
    mine, theirs = url(), url()
    world.call("lead", "PUT", mine, json=appeal_body(world.a, "smoking"))
    world.call("other_lead", "PUT", theirs, json=appeal_body(world.b, "windows"))
    world.call("lead", "POST", f"{mine}/withdraw")

    def ids(who, query=""):
        answer = world.call(who, "GET", f"/api/v1/appeals{query}")
        return {item["id"] for item in answer.json["items"]}

    mine_id, theirs_id = mine.rsplit("/", 1)[1], theirs.rsplit("/", 1)[1]
    assert ids("supervisor") == {mine_id, theirs_id}
    assert ids("supervisor", "?status=pending") == {theirs_id}
    assert ids("supervisor", "?department=finance") == {mine_id}
    assert ids("lead") == {mine_id}
    assert ids("other_inspector") == set()
    assert world.call("supervisor", "GET", "/api/v1/appeals?status=nope").status_code == 400


def test_a_period_with_pending_appeals_cannot_close(app, world, client):
    from inspector.errors import ConflictError
    from inspector.periods import parse_period
    from inspector.scores.closing import close_period

    target = url()
    world.call("lead", "PUT", target, json=appeal_body(world.a, "smoking"))
    day = local_date(world.when, "Asia/Shanghai")
    period = parse_period(f"{day}..{day}")
    try:
        close_period(world.users["supervisor"], period, app.config, day, early=True)
        raise AssertionError("closed with a pending appeal")
    except ConflictError as refused:
        assert (refused.status, refused.code) == (409, "appeals_pending")
    db.session.rollback()
    world.call("supervisor", "POST", f"{target}/decision", json={"decision": "uphold"})
    close_period(world.users["supervisor"], period, app.config, day, early=True)
    db.session.commit()


def test_a_ruling_stands_when_the_inspection_is_corrected(world):
    """Returned after an overturn: resent as it was, the ruling still counts; changed by its
    author on that item, the author's answer stands."""
    target = url()
    world.call("lead", "PUT", target, json=appeal_body(world.a, "smoking"))
    ruling = {"decision": "overturn", "answer": "pass", "comment": "来访人员"}
    world.call("supervisor", "POST", f"{target}/decision", json=ruling)
    inspection_url = f"/api/v1/inspections/{world.a['id']}"
    back = {"decision": "return", "comment": "补充备注"}
    assert (
        world.call("supervisor", "POST", f"{inspection_url}/review", json=back).status_code == 200
    )
    body = world.bodies[world.a["id"]]
    noted = {**body, "responses": replace(body["responses"], "documents", note="已补充")}
    again = world.call("inspector", "PUT", inspection_url, json=noted).json
    assert again["score"]["percent"] == 92.9 and again["critical_failed"] is False
    assert {r["item"]: r["answer"] for r in again["responses"]}["smoking"] == "pass"
    back = {"decision": "return", "comment": "再核对"}
    world.call("supervisor", "POST", f"{inspection_url}/review", json=back)
    smoking = replace(noted["responses"], "smoking", answer="na", photos=[])
    changed = world.call("inspector", "PUT", inspection_url, json={**noted, "responses": smoking})
    # N/A now by the author: 21 of 23; the amendment (from "fail") stays in the history.
    assert changed.json["score"] == {"earned": 21, "possible": 23, "percent": 91.3}
    assert {r["item"]: r["answer"] for r in changed.json["responses"]}["smoking"] == "na"
    assert len(changed.json["amendments"]) == 1


def test_whoever_may_read_an_appeal_sees_its_photos(world):
    evidence = str(uuid.uuid4())
    upload = {"file": (io.BytesIO(jpeg_bytes()), "evidence.jpg")}
    assert world.call("lead", "PUT", f"/api/v1/photos/{evidence}", data=upload).status_code == 201
    body = appeal_body(world.a, "smoking", photos=[evidence])
    assert world.call("lead", "PUT", url(), json=body).status_code == 201
    thumb = f"/photos/{evidence}/thumb"
    seen = {}
    for who in world.tokens:
        answer = world.call(who, "GET", thumb)
        seen[who] = answer.status_code
        answer.close()  # as a server does once sent: the stored file is closed
    assert seen == {
        "lead": 200, "deputy": 200,  # the department's leads
        "inspector": 200,  # whose inspection it contests
        "supervisor": 200, "admin": 200,
        "other_lead": 404, "other_inspector": 404,  # not theirs to read
    }  # fmt: skip


def test_the_appeals_messages_name_the_item_in_its_own_words(world):
    """The event's payload names the item by its key; people read its text."""
    from inspector.notifications.messages import render

    target = url()
    body = appeal_body(world.a, "smoking", reason="来访人员吸烟，已当场劝离。" * 20)
    filed = world.call("lead", "PUT", target, json=body).json
    message = render("appeal.filed", filed, "zh", absolute=False)
    assert message.title == "待裁定申诉：检查项 公共场所无吸烟"
    assert len(message.lines[0]) <= 140  # a long reason is cut short in a message
    english = render("appeal.filed", filed, "en", absolute=False)
    assert english.title == "Appeal to decide: item 公共场所无吸烟"

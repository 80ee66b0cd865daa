"""Deliveries through the real Huey consumer to receivers on loopback (the contract's
"Webhooks" and the issue's reliability cases), on SQLite with Huey's SQLite queue and on
PostgreSQL with Redis."""

import time
from datetime import datetime

import pytest

from inspector.extensions import db
from inspector.models import Delivery, DeliveryStatus, Role
from tests import factories
from tests.notifications.records import deliveries_of, open_finding, register
from tests.notifications.sinks import dingtalk_sign_ok, wait_until, webhook_signature_ok


def settled(api, hook, count=1):
    """The webhook's deliveries once `count` of them are no longer pending."""

    def check():
        items = deliveries_of(api, hook)
        done = [item for item in items if item["status"] != "pending"]
        return items if len(done) >= count else None

    return wait_until(check)


def test_an_event_reaches_the_webhook_signed_with_the_record_as_the_api_shows_it(
    api, worker, make_sink
):
    sink = make_sink()
    hook = register(api, sink.url(), ["finding.opened"], secret="s3cret-for-the-oa")
    site = factories.new_site()
    api.as_role(Role.INSPECTOR)
    finding = open_finding(api, site)
    [got] = sink.wait_for(1)
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["X-Inspector-Event"] == "finding.opened"
    assert webhook_signature_ok(got, "s3cret-for-the-oa")
    body = got.json
    assert body["id"] == got.headers["X-Inspector-Delivery"]
    assert body["event"] == "finding.opened"
    assert body["data"] == finding.json
    assert datetime.fromisoformat(body["created_at"]).tzinfo is not None
    [item] = settled(api, hook)
    assert item == {
        "id": body["id"], "event": "finding.opened", "status": "delivered", "attempts": 1,
        "last_status_code": 200, "last_attempt_at": item["last_attempt_at"],
    }  # fmt: skip
    assert len(sink.requests) == 1


def test_a_receiver_failing_twice_gets_the_event_once_more_with_the_same_delivery_id(
    app, api, worker, make_sink
):
    sink = make_sink(statuses=[500, 500])
    hook = register(api, sink.url())
    site = factories.new_site()
    api.as_role(Role.INSPECTOR)
    open_finding(api, site)
    first, second, third = sink.wait_for(3)
    assert len({r.headers["X-Inspector-Delivery"] for r in (first, second, third)}) == 1
    assert {r.body for r in (first, second, third)} == {first.body}  # the same signed bytes
    assert second.at - first.at < 10  # the first retry comes within 10 s
    [item] = settled(api, hook)
    assert (item["status"], item["attempts"], item["last_status_code"]) == ("delivered", 3, 200)
    # A second queue entry for it (a sweep, a retry race) sends nothing more.
    run_jobs(app, ("sweep",), ("deliver", delivery_id(item["id"])))
    assert len(sink.requests) == 3


def delivery_id(uuid_text):
    db.session.commit()
    return db.session.scalar(db.select(Delivery.id).where(Delivery.uuid == uuid_text))


def run_jobs(app, *calls):
    from inspector.notifications import jobs
    from inspector.queue import job_context

    db.session.commit()  # the test's own transaction would hold the lock the jobs wait for
    for name, *args in calls:
        with job_context(app):
            getattr(jobs, name)(*args)


@pytest.mark.parametrize("settings", [{"DELIVERY_GIVE_UP_AFTER": 1.5}])
def test_a_receiver_that_keeps_failing_is_given_up_then_retried_by_hand(
    app, api, client, worker, make_sink, settings
):
    sink = make_sink(statuses=[503] * 50)
    hook = register(api, sink.url())
    site = factories.new_site()
    admin = factories.new_user(Role.ADMIN)
    db.session.commit()
    api.as_role(Role.INSPECTOR)
    open_finding(api, site)
    [item] = settled(api, hook)
    assert item["status"] == "failed" and item["attempts"] >= 2 and item["last_status_code"] == 503
    tried = len(sink.requests)
    sink.statuses.clear()  # the receiver is repaired
    client.post("/login", data={"username": admin.username, "password": factories.PASSWORD})
    answer = client.post(f"/notifications/deliveries/{delivery_id(item['id'])}/retry")
    assert answer.status_code == 303
    requests = sink.wait_for(tried + 1)
    assert {r.headers["X-Inspector-Delivery"] for r in requests} == {item["id"]}
    wait_until(lambda: deliveries_of(api, hook)[0]["status"] == "delivered")
    log = client.get("/notifications/deliveries", headers={"Accept-Language": "en"}).text
    assert "503" in log and "Delivered" in log


def test_a_slow_receiver_never_slows_a_request(app, api, worker, make_sink):
    sink = make_sink()
    sink.slow.set()  # answers after 30 s (or when the test ends)
    hook = register(api, sink.url())
    site = factories.new_site()
    api.as_role(Role.INSPECTOR)
    started = time.monotonic()
    open_finding(api, site)
    assert time.monotonic() - started < 1.5
    sink.wait_for(1)
    started = time.monotonic()
    open_finding(api, site, "第二处")
    assert api.get("/api/v1/me").status_code == 200
    assert time.monotonic() - started < 1.5  # while a delivery waits on the receiver
    # The worker gave up waiting after DELIVERY_TIMEOUT (2 s here) and will try again.
    item = wait_until(lambda: [i for i in deliveries_of(api, hook) if i["attempts"]])[0]
    assert item["status"] == "pending" and item["last_status_code"] is None
    attempt = db.session.scalar(db.select(Delivery).where(Delivery.uuid == item["id"])).attempts
    assert attempt == 1


def test_a_records_events_arrive_in_the_order_they_happened(app, api, worker, make_sink):
    sink = make_sink(statuses=[500])  # the first event has to be retried
    register(api, sink.url(), ["finding.opened", "finding.fixed", "finding.closed"])
    site = factories.new_site()
    inspector = api.as_role(Role.INSPECTOR)
    photo = factories.new_photo(inspector)
    db.session.commit()
    ident = open_finding(api, site).json["id"]
    fixed = api.post(f"/api/v1/findings/{ident}/fix", json={"after_photos": [photo.uuid]})
    assert fixed.status_code == 200, fixed.text
    api.as_role(Role.SUPERVISOR)
    assert (
        api.post(f"/api/v1/findings/{ident}/verify", json={"decision": "accept"}).status_code == 200
    )
    requests = sink.wait_for(4)
    names = [r.headers["X-Inspector-Event"] for r in requests]
    assert names == ["finding.opened", "finding.opened", "finding.fixed", "finding.closed"]
    assert [r.json["data"]["status"] for r in requests[1:]] == ["open", "fixed", "closed"]


def test_wecom_and_dingtalk_robots_get_markdown_and_dingtalk_its_signature(
    app, api, worker, make_sink
):
    wecom, dingtalk, elsewhere = make_sink(), make_sink(), make_sink()
    finance = factories.new_department(code="finance", name="财务科")
    other = factories.new_department(code="other")
    site = factories.new_site(department=finance, name="A区302办公室")
    db.session.commit()
    api.as_role(Role.ADMIN)
    key = "693a91f6-7aoc-4bc4"
    channels = [
        {"kind": "wecom", "target": wecom.url(f"/cgi-bin/webhook/send?key={key}"),
         "department": "finance"},
        {"kind": "dingtalk", "target": dingtalk.url("/robot/send?access_token=t1"),
         "secret": "SECdingtalk", "locale": "en"},
        {"kind": "wecom", "target": elsewhere.url("/send?key=k2"), "department": other.code},
    ]  # fmt: skip
    made = [
        api.post("/api/v1/channels", json={**c, "events": ["finding.opened"]}) for c in channels
    ]
    assert [m.status_code for m in made] == [201, 201, 201]
    assert key not in made[0].json["target"] and "secret" not in made[1].json
    api.as_role(Role.INSPECTOR)
    finding = open_finding(api, site).json
    [to_wecom], [to_dingtalk] = wecom.wait_for(1), dingtalk.wait_for(1)
    link = f"/findings/{finding['id']}"
    content = to_wecom.json["markdown"]["content"]
    assert to_wecom.json["msgtype"] == "markdown"
    assert "待整改：楼道堆放杂物" in content and "A区302办公室" in content and link in content
    assert to_dingtalk.json["msgtype"] == "markdown"
    assert to_dingtalk.json["markdown"]["title"] == "To fix: 楼道堆放杂物"
    assert link in to_dingtalk.json["markdown"]["text"]
    assert to_dingtalk.query["access_token"] == ["t1"] and dingtalk_sign_ok(
        to_dingtalk, "SECdingtalk"
    )
    assert elsewhere.requests == []  # another department's group hears nothing of it

    def statuses():
        db.session.commit()
        return sorted(db.session.scalars(db.select(Delivery.status)).all())

    wait_until(lambda: statuses() == [DeliveryStatus.DELIVERED] * 2)

"""The webhooks API of the contract, the channels API beside it, and who may call them."""

import re

import pytest

from inspector.config import DELIVERY_RETRY_DELAYS, DELIVERY_TIMEOUT
from inspector.models import Role
from inspector.notifications import egress, senders
from inspector.notifications.senders import Parcel

EVENTS = ["inspection.submitted", "finding.overdue"]


def test_an_admin_registers_lists_and_deletes_a_webhook(api, client):
    api.as_role(Role.ADMIN)
    made = api.post("/api/v1/webhooks", json={"url": "http://10.0.0.7/oa/hook", "events": EVENTS})
    assert made.status_code == 201
    body = made.json
    assert set(body) == {"id", "url", "events", "secret", "created_at"}
    assert re.fullmatch(r"[0-9a-f]{64}", body["secret"])  # a random one when none is given
    own = api.post("/api/v1/webhooks", json={"url": "https://oa.example/h", "events": ["*"],
                                             "secret": "our-own"})  # fmt: skip
    assert own.json["secret"] == "our-own"
    listed = api.get("/api/v1/webhooks").json
    assert [h["url"] for h in listed["items"]] == [
        "http://10.0.0.7/oa/hook",
        "https://oa.example/h",
    ]
    assert all("secret" not in h for h in listed["items"]) and listed["next"] is None
    assert api.get(f"/api/v1/webhooks/{body['id']}/deliveries").json == {"items": [], "next": None}
    deleted = client.delete(f"/api/v1/webhooks/{body['id']}", headers=api.headers())
    assert deleted.status_code == 204 and deleted.data == b""
    assert api.get(f"/api/v1/webhooks/{body['id']}/deliveries").status_code == 404
    assert client.delete(f"/api/v1/webhooks/{body['id']}", headers=api.headers()).status_code == 404
    assert [h["id"] for h in api.get("/api/v1/webhooks").json["items"]] == [own.json["id"]]


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.INSPECTOR, Role.LEAD])
def test_only_admins_see_and_change_webhooks_and_channels(api, client, role):
    api.as_role(role)
    for path in ("/api/v1/webhooks", "/api/v1/channels", "/api/v1/webhooks/1/deliveries"):
        assert api.get(path).status_code == 403
    assert (
        api.post("/api/v1/webhooks", json={"url": "http://x/", "events": ["*"]}).status_code == 403
    )
    assert client.delete("/api/v1/channels/1", headers=api.headers()).status_code == 403


@pytest.mark.parametrize(
    "body, field",
    [
        ({"url": "ftp://oa/hook", "events": ["*"]}, "target"),
        ({"url": "http://user:pw@oa/hook", "events": ["*"]}, "target"),
        ({"url": "http://[::1/hook", "events": ["*"]}, "target"),
        ({"url": "http://oa/hook", "events": []}, "events"),
        ({"url": "http://oa/hook", "events": ["digest.weekly"]}, "events.0"),
        ({"url": "http://oa/hook", "events": ["*"], "secret": ""}, "secret"),
        ({"url": "http://oa/hook", "events": ["*"], "extra": 1}, "extra"),
    ],
)
def test_a_bad_webhook_is_422_naming_the_field(api, body, field):
    api.as_role(Role.ADMIN)
    answer = api.post("/api/v1/webhooks", json=body)
    assert answer.status_code == 422, answer.text
    assert field in answer.json["error"]["fields"]


@pytest.mark.parametrize("settings", [{"WEBHOOK_ALLOWED_HOSTS": "oa.example.gov.cn, 10.0.0.0/8"}])
def test_allowed_hosts_restrict_receivers(api, settings):
    api.as_role(Role.ADMIN)
    for url, status in [
        ("http://oa.example.gov.cn/hook", 201),
        ("https://10.20.30.40:8443/hook", 201),
        ("http://127.0.0.1:8000/hook", 422),
        ("http://evil.example/hook", 201),  # a name: its addresses are checked when called
    ]:
        assert (
            api.post("/api/v1/webhooks", json={"url": url, "events": ["*"]}).status_code == status
        )
    with pytest.raises(egress.TargetRefusedError):
        egress.resolve("http://localhost:9/hook", settings["WEBHOOK_ALLOWED_HOSTS"])
    assert egress.resolve("http://10.1.1.1/x", settings["WEBHOOK_ALLOWED_HOSTS"])[3] == "10.1.1.1"


def test_channels_are_added_with_their_key_cut_short_and_email_needs_smtp(api):
    api.as_role(Role.ADMIN)
    robot = {
        "kind": "dingtalk",
        "target": "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef",
        "events": ["finding.overdue", "digest.weekly"],
        "secret": "SECx",
    }
    made = api.post("/api/v1/channels", json=robot)
    assert made.status_code == 201
    assert made.json["target"] == "https://oapi.dingtalk.com/robot/send?access_token=0123…"
    assert "secret" not in made.json and made.json["department"] is None
    mail = {"kind": "email", "target": "office@example.gov.cn", "events": ["*"]}
    answer = api.post("/api/v1/channels", json=mail)
    assert answer.status_code == 422 and "SMTP" in answer.json["error"]["fields"]["target"]
    unknown = {**robot, "department": "nowhere"}
    assert api.post("/api/v1/channels", json=unknown).status_code == 422


def test_redirects_are_not_followed(app, make_sink):
    elsewhere = make_sink()
    mover = make_sink(statuses=[302], headers={"Location": elsewhere.url()})
    parcel = Parcel(1, "d-1", "finding.opened", "webhook", mover.url(), "s", "{}")
    outcome = senders.send(parcel, app.config)
    assert (outcome.status_code, outcome.ok) == (302, False)
    assert elsewhere.requests == []


def test_the_retry_schedule_starts_within_10_s_grows_and_lasts_a_day():
    from inspector.config import DELIVERY_GIVE_UP_AFTER

    assert DELIVERY_RETRY_DELAYS[0] <= 10 and DELIVERY_TIMEOUT == 10
    assert sorted(set(DELIVERY_RETRY_DELAYS)) == DELIVERY_RETRY_DELAYS
    assert DELIVERY_GIVE_UP_AFTER == 24 * 3600

"""The channels screens: an admin adds a robot, tests it, reads its delivery log."""

from inspector.extensions import db
from inspector.models import Channel, Role
from tests.notifications.sinks import dingtalk_sign_ok, wait_until


def test_an_admin_adds_a_dingtalk_robot_and_sends_it_a_test(
    app, client, login_as, worker, make_sink
):
    robot = make_sink()
    login_as(Role.ADMIN)
    form = {
        "kind": "dingtalk", "name": "督查工作群", "locale": "zh", "department": "",
        "target": robot.url("/robot/send?access_token=abcdef123456"), "secret": "SECsecret",
        "events": ["finding.opened", "finding.overdue"],
    }  # fmt: skip
    added = client.post("/notifications/channels/new", data=form)
    assert added.status_code == 303
    page = client.get(added.location, headers={"Accept-Language": "zh-CN"}).text
    assert "督查工作群" in page and "access_token=abcd…" in page and "abcdef123456" not in page
    assert "SECsecret" not in page
    channel = db.session.scalar(db.select(Channel))
    assert client.post(f"/notifications/channels/{channel.id}/test").status_code == 303
    [sent] = robot.wait_for(1)
    assert sent.json["markdown"]["title"] == "来自文明督查的测试消息"
    assert dingtalk_sign_ok(sent, "SECsecret")
    wait_until(lambda: "已送达" in client.get(added.location).text)
    assert client.post(f"/notifications/channels/{channel.id}/delete").status_code == 303
    assert client.get(added.location).status_code == 404


def test_a_bad_channel_is_shown_with_its_faults(app, client, login_as):
    login_as(Role.ADMIN)
    form = {"kind": "wecom", "target": "qyapi.weixin.qq.com", "events": [], "locale": "zh"}
    page = client.post("/notifications/channels/new", data=form, headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "Use an http:// or https:// address." in page.text
    assert "Choose at least one event." in page.text


def test_only_admins_manage_channels(app, client, login_as):
    login_as(Role.SUPERVISOR)
    for path in (
        "/notifications/channels",
        "/notifications/channels/new",
        "/notifications/deliveries",
    ):
        assert client.get(path).status_code == 403


def test_a_webhook_added_with_the_forms_default_ticks_keeps_the_contracts_events(
    app, client, login_as
):
    """The boxes ticked by default include an event webhooks never carry: it is left out,
    and the page says so, instead of refusing the form."""
    from inspector.notifications.forms import DEFAULT_EVENTS

    login_as(Role.ADMIN)
    form = {"kind": "webhook", "target": "http://127.0.0.1:9/hook", "locale": "zh",
            "department": "", "events": DEFAULT_EVENTS}  # fmt: skip
    added = client.post("/notifications/channels/new", data=form)
    assert added.status_code == 303
    channel = db.session.scalar(db.select(Channel))
    assert "finding.escalated" in DEFAULT_EVENTS
    assert channel.events == [name for name in DEFAULT_EVENTS if name != "finding.escalated"]
    page = client.get(added.location, headers={"Accept-Language": "zh-CN"}).text
    assert "不发送给 Webhook：逾期未改（上报）。" in page


def test_an_address_fault_is_said_in_the_pages_language(app, client, login_as):
    login_as(Role.ADMIN)
    form = {"kind": "wecom", "target": "qyapi.weixin.qq.com", "events": ["*"], "locale": "zh"}
    page = client.post("/notifications/channels/new", data=form, headers={"Accept-Language": "zh"})
    assert "请填写 http:// 或 https:// 开头的地址。" in page.text

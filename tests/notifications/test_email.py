"""Email over SMTP to a real server on loopback (aiosmtpd), through the real consumer."""

from email import message_from_bytes, policy

import pytest

from inspector.extensions import db
from inspector.models import Role
from tests import factories
from tests.notifications.records import open_finding
from tests.notifications.sinks import wait_until


@pytest.fixture
def settings(smtp_server):
    return {"SMTP_URL": smtp_server[1], "MAIL_FROM": "文明督查 <inspector@example.gov.cn>"}


def test_the_lead_gets_an_email_in_their_language(app, api, worker, smtp_server):
    mailbox, _url = smtp_server
    finance = factories.new_department(code="finance", name="财务科")
    factories.new_user(Role.LEAD, department=finance, email="wang@example.gov.cn")
    factories.new_user(Role.LEAD, department=finance, email="li@example.gov.cn", locale="en")
    site = factories.new_site(department=finance)
    db.session.commit()
    api.as_role(Role.INSPECTOR)
    finding = open_finding(api, site).json
    wait_until(lambda: len(mailbox.messages) == 2)
    parsed = {
        m.rcpt_tos[0]: message_from_bytes(m.content, policy=policy.default)
        for m in mailbox.messages
    }
    zh, en = parsed["wang@example.gov.cn"], parsed["li@example.gov.cn"]
    assert zh["Subject"] == "待整改：楼道堆放杂物" and en["Subject"] == "To fix: 楼道堆放杂物"
    assert f"/findings/{finding['id']}" in zh.get_body(("plain",)).get_content()
    assert "文明督查" in zh["From"]

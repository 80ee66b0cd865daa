"""Send one delivery: a signed webhook POST, a WeCom or DingTalk robot message, or an email.

Only the worker calls these, each with a timeout; redirects are never followed. The answer is
an Outcome: the status code (SMTP's reply code for email) and what went wrong, if anything.
"""

import base64
import hashlib
import hmac
import json
import smtplib
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from html import escape
from urllib.parse import quote_plus, unquote, urlsplit

from urllib3 import HTTPConnectionPool, HTTPSConnectionPool, Timeout
from urllib3.exceptions import HTTPError

from inspector.models import ChannelKind
from inspector.notifications import egress

ANSWER_LIMIT = 64 * 1024  # of a receiver's answer, read to see whether it took the message


@dataclass
class Parcel:
    """What the worker needs to send a delivery, read before the network is touched."""

    id: int
    uuid: str
    name: str
    kind: str
    url: str
    secret: str
    payload: str


@dataclass
class Outcome:
    status_code: int | None
    error: str = ""

    @property
    def ok(self):
        return not self.error and self.status_code is not None


def send(parcel, config):
    """Send `parcel` once and say how it went; never raises for the receiver's faults."""
    try:
        if parcel.kind == ChannelKind.EMAIL:
            return send_email(parcel, config)
        if parcel.kind == ChannelKind.WEBHOOK:
            return send_webhook(parcel, config)
        return send_robot(parcel, config)
    except egress.TargetRefusedError as refused:
        return Outcome(None, str(refused))


def signature(secret, body: bytes) -> str:
    """X-Inspector-Signature: sha256=HEX, HMAC-SHA256 of the raw body with the secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def send_webhook(parcel, config):
    body = parcel.payload.encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Inspector-Webhook/1",
        "X-Inspector-Event": parcel.name,
        "X-Inspector-Delivery": parcel.uuid,
        "X-Inspector-Signature": signature(parcel.secret, body),
    }
    status, _answer, error = post(parcel.url, body, headers, config)
    if not error and not 200 <= status < 300:
        error = f"HTTP {status}"
    return Outcome(status, error)


def dingtalk_url(url, secret, now_ms=None):
    """The robot's URL with the 加签 parameters: HMAC-SHA256 of "timestamp\\nsecret"."""
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp}&sign={sign}"


def send_robot(parcel, config):
    url = parcel.url
    if parcel.kind == ChannelKind.DINGTALK and parcel.secret:
        url = dingtalk_url(url, parcel.secret)
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Inspector/1"}
    status, answer, error = post(url, parcel.payload.encode(), headers, config)
    if error:
        return Outcome(status, error)
    if not 200 <= status < 300:
        return Outcome(status, f"HTTP {status}")
    # Both robots answer 200 with {"errcode": 0} when they took it, another errcode when not.
    try:
        reply = json.loads(answer or b"{}")
    except ValueError:
        reply = {}
    code = reply.get("errcode", 0) if isinstance(reply, dict) else 0
    if code != 0:
        return Outcome(status, f"errcode {code}: {str(reply.get('errmsg', ''))[:100]}")
    return Outcome(status)


def post(url, body, headers, config):
    """POST once, following no redirect: (status or None, answer bytes, error text)."""
    scheme, host, port, address = egress.resolve(url, config["WEBHOOK_ALLOWED_HOSTS"])
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    seconds = float(config["DELIVERY_TIMEOUT"])
    options = {"timeout": Timeout(connect=min(5.0, seconds), read=seconds), "maxsize": 1}
    if scheme == "https":
        options.update(server_hostname=host, assert_hostname=host, ssl_context=ssl_context())
        pool = HTTPSConnectionPool(address or host, port, **options)
    else:
        pool = HTTPConnectionPool(address or host, port, **options)
    default_port = 443 if scheme == "https" else 80
    headers = {**headers, "Host": host if port == default_port else f"{host}:{port}"}
    try:
        response = pool.urlopen(
            "POST", target, body=body, headers=headers, redirect=False, retries=False,
            preload_content=False, assert_same_host=False,
        )  # fmt: skip
        answer = response.read(ANSWER_LIMIT, decode_content=False)
        response.release_conn()
        return response.status, answer, ""
    except HTTPError as error:
        # The log's status already says there was no answer: the detail is what went wrong.
        return None, b"", type(error).__name__[:200]
    finally:
        pool.close()


def ssl_context():
    return ssl.create_default_context()


def send_email(parcel, config):
    if not config["SMTP_URL"]:
        return Outcome(None, "email is not set up (SMTP_URL)")
    fields = json.loads(parcel.payload)
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"] or "Inspector <inspector@localhost>"
    message["To"] = fields["to"]
    message["Subject"] = fields["subject"]
    message["Message-ID"] = make_msgid(idstring=parcel.uuid[:8])
    message.set_content(fields["text"])
    message.add_alternative(email_html(fields["text"]), subtype="html")
    try:
        with smtp_connection(config["SMTP_URL"], float(config["DELIVERY_TIMEOUT"])) as smtp:
            smtp.send_message(message)
        return Outcome(250)
    except smtplib.SMTPResponseException as error:
        return Outcome(error.smtp_code, f"SMTP {error.smtp_code}")
    except (smtplib.SMTPException, OSError) as error:
        return Outcome(None, f"SMTP: {type(error).__name__}"[:200])


def email_html(text):
    """The plain text as simple HTML, every character escaped; the link made clickable."""
    blocks = []
    for line in text.strip().splitlines():
        if line.startswith(("http://", "https://")):
            blocks.append(f'<p><a href="{escape(line)}">{escape(line)}</a></p>')
        elif line:
            blocks.append(f"<p>{escape(line)}</p>")
    return "<!doctype html><html><body>" + "\n".join(blocks) + "</body></html>"


def smtp_connection(url, timeout):
    """An open SMTP connection from smtp://, smtp+starttls:// or smtps://user:pass@host:port."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    if parts.scheme == "smtps":
        smtp = smtplib.SMTP_SSL(host, parts.port or 465, timeout=timeout, context=ssl_context())
    else:
        smtp = smtplib.SMTP(host, parts.port or (587 if "starttls" in parts.scheme else 25),
                            timeout=timeout)  # fmt: skip
        if parts.scheme == "smtp+starttls":
            smtp.starttls(context=ssl_context())
    if parts.username:
        smtp.login(unquote(parts.username), unquote(parts.password or ""))
    return smtp

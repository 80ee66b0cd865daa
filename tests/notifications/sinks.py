"""Receivers on loopback for the delivery tests: HTTP sinks and a real SMTP server.

A sink records every request it gets, checks what a receiver would check (the webhook's HMAC
signature, DingTalk's 加签 sign) and answers from a script: a list of statuses to give in
turn (then 200), or a wait (a slow receiver). Tests wait on conditions with deadlines, never
on fixed sleeps.
"""

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from flask import has_app_context

from inspector.extensions import db


@dataclass
class Received:
    path: str
    query: dict
    headers: dict
    body: bytes
    at: float = field(default_factory=time.monotonic)

    @property
    def json(self):
        return json.loads(self.body)


class Sink:
    """An HTTP server on 127.0.0.1 that records requests and answers from a script."""

    def __init__(self, statuses=(), answer=b'{"errcode":0,"errmsg":"ok"}', headers=None):
        self.statuses = list(statuses)
        self.headers = dict(headers or {})
        self.answer = answer
        self.requests = []
        self.slow = threading.Event()  # set: requests wait (up to 30 s) until released
        self.release = threading.Event()
        self.arrived = threading.Condition()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def handler(self):
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                parts = urlsplit(self.path)
                with sink.arrived:
                    sink.requests.append(
                        Received(parts.path, parse_qs(parts.query), dict(self.headers), body)
                    )
                    status = sink.statuses.pop(0) if sink.statuses else 200
                    sink.arrived.notify_all()
                if sink.slow.is_set():
                    sink.release.wait(30)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    for name, value in sink.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(sink.answer)))
                    self.end_headers()
                    self.wfile.write(sink.answer)
                except OSError:
                    pass  # the sender gave up waiting

            def log_message(self, *args):
                pass

        return Handler

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def url(self, path="/hook"):
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def wait_for(self, count, timeout=15):
        """The requests once at least `count` have arrived; AssertionError after `timeout`."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.requests) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self.requests)} of {count} requests arrived")
                self.arrived.wait(left)
            return list(self.requests)


def webhook_signature_ok(request, secret):
    expected = "sha256=" + hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(request.headers.get("X-Inspector-Signature", ""), expected)


def dingtalk_sign_ok(request, secret, skew_ms=3_600_000):
    """DingTalk's check: sign = base64(HMAC-SHA256(secret, timestamp + "\\n" + secret))."""
    timestamp = request.query["timestamp"][0]
    if abs(int(time.time() * 1000) - int(timestamp)) > skew_ms:
        return False
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return request.query["sign"][0] == base64.b64encode(digest).decode()


def wait_until(check, timeout=15, interval=0.05):
    """Call `check` until it returns something true; AssertionError after `timeout`.

    The test's own transaction ends after each try, so a worker is never kept waiting for
    the write lock (or reading around a snapshot) while the test sleeps.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if has_app_context():
            db.session.commit()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(interval)


class Mailbox:
    """aiosmtpd's handler: keeps every message it is sent."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's name)
        self.messages.append(envelope)
        return "250 OK"

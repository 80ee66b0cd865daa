"""The suite's loopback server closes a response's file when the client hangs up mid-send."""

import gc
import socket
import struct
import sys
import threading
import time

from flask import Flask, send_file

from tests.liveserver import serving

REQUEST = b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n"


def _file_app(path):
    app = Flask(__name__)

    @app.get("/big")
    def big():
        return send_file(path)

    return app


def _hang_up_mid_download(url):
    """Ask twice on one connection, read a little, then reset it, as a closing tab does."""
    host, port = url.removeprefix("http://").split(":")
    client = socket.create_connection((host, int(port)))
    client.sendall(REQUEST + REQUEST)
    client.recv(1000)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    client.close()


def test_a_dropped_download_leaves_no_file_open(tmp_path, monkeypatch):
    path = tmp_path / "big.bin"
    path.write_bytes(b"x" * 300_000)
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    before = threading.active_count()
    with serving(_file_app(path)) as url:
        for _ in range(60):
            _hang_up_mid_download(url)
        deadline = time.monotonic() + 10
        while threading.active_count() > before + 1 and time.monotonic() < deadline:
            time.sleep(0.05)  # each request's thread notices the reset and finishes
        assert threading.active_count() <= before + 1, "requests still being served"
    gc.collect()
    assert [str(report.exc_value) for report in unraisable] == []

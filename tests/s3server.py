"""A throwaway S3-API server for the test run: moto_server on loopback, in a subprocess."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from tests.postgres import free_port

# Only ever loopback: the tests must not reach any other machine.
HOST = "127.0.0.1"
START_TIMEOUT = 30  # seconds; moto imports every AWS service it emulates before it listens


def find_moto_server():
    """Return the moto_server script beside this Python, or on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), "moto_server")
    if os.path.exists(beside):
        return beside
    found = shutil.which("moto_server")
    if found is None:
        raise RuntimeError(
            'moto_server not found: pip install -r requirements-dev.txt ("moto[server]")'
        )
    return found


class ThrowawayS3:
    """moto_server started on a free loopback port; `url` is its endpoint."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.folder = tempfile.mkdtemp(prefix="inspector-s3-")
        self.process = None

    def start(self):
        # The server keeps its own copy of the file descriptor; ours can close at once.
        with open(os.path.join(self.folder, "log"), "wb") as log:
            self.process = subprocess.Popen(
                [find_moto_server(), "-H", HOST, "-p", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        self.wait_until_ready()
        return self

    def wait_until_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto_server exited early:\n{self.log()}")
            if self.answers():
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"moto_server did not answer in {START_TIMEOUT} s:\n{self.log()}")

    def answers(self):
        # No proxy, whatever the environment says: the server is on this machine.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(f"{self.url}/moto-api/", timeout=1) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def log(self):
        with open(os.path.join(self.folder, "log"), "rb") as log:
            return log.read().decode(errors="replace")[-4000:]

    def stop(self):
        try:
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

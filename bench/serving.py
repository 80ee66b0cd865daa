"""Serve an app with gunicorn exactly as `make run` does, for the benchmarks."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_ARGS = ["--workers", "2", "--threads", "32", "--worker-class", "gthread"]  # = make run


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def instance_with_token(instance, role="inspector"):
    """Migrate a fresh instance at `instance` in a process of its own (the caller's stays
    cold), with one user of `role` and a bearer token; return its environment and the token."""
    env = {
        **os.environ,
        "INSPECTOR_INSTANCE_PATH": str(instance),
        "INSPECTOR_SECRET_KEY": "bench-" + os.urandom(16).hex(),
    }
    code = (
        "import flask_migrate\n"
        "from inspector import create_app\n"
        "from inspector.extensions import db\n"
        "from tests import factories\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    flask_migrate.upgrade()\n"
        f"    print(factories.new_token(factories.new_user(role={role!r}, username='bench')))\n"
        "    db.session.commit()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return env, out.stdout.strip().splitlines()[-1]


@contextmanager
def gunicorn(app="wsgi:app", instance=None, log=None, chdir=ROOT, args=GUNICORN_ARGS):
    """Yield the port of gunicorn serving `app`; its access log (if any) has request times."""
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--bind", f"127.0.0.1:{port}", *args, "--chdir", str(chdir),
    ]  # fmt: skip
    if log:
        command += ["--access-logfile", str(log)]
        command += ["--access-logformat", "%(m)s %(U)s?%(q)s %(s)s %(D)s"]
    env = dict(os.environ)
    if instance is not None:
        env["INSPECTOR_INSTANCE_PATH"] = str(instance)
    server = subprocess.Popen([*command, app], cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    try:
        wait_for(port, server)
        yield port
    finally:
        server.terminate()  # this PID only: gunicorn's arbiter stops its own workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_for(port, server, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def worker_ticks(port):
    """CPU ticks used so far by each gunicorn worker serving `port` ({pid: ticks}).

    The workers are the processes whose parent has the same command line (the arbiter).
    """
    bind = f"127.0.0.1:{port}".encode()
    commands, parents = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while we looked
        if bind in command:
            commands[entry.name] = int(stat[11]) + int(stat[12])  # utime + stime
            parents[entry.name] = stat[1]
    return {pid: ticks for pid, ticks in commands.items() if parents[pid] in commands}

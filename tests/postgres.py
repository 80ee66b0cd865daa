"""A throwaway PostgreSQL server for the test run: started in a temp folder, on loopback."""

import os
import shutil
import socket
import subprocess
import tempfile
import time

BIN_DIRS = [
    "/usr/lib/postgresql/15/bin",
    "/usr/lib/postgresql/16/bin",
    "/usr/lib/postgresql/17/bin",
]


def find_bin():
    for folder in BIN_DIRS:
        if os.path.exists(os.path.join(folder, "pg_ctl")):
            return folder
    found = shutil.which("pg_ctl")
    return os.path.dirname(found) if found else None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_as_postgres(args):
    """initdb and pg_ctl refuse to run as root: run them as the postgres user then."""
    if os.geteuid() == 0:
        args = ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(f"'{a}'" for a in args)]
    subprocess.run(args, check=True, capture_output=True, timeout=120)


MEMORY_FOLDER = "/dev/shm"  # noqa: S108 (a private mkdtemp inside it, not a fixed path)
MEMORY_NEEDED = 2 * 1024**3


def memory_folder():
    """A RAM-backed folder with room for the suite's databases, or None (then the disk's)."""
    try:
        stats = os.statvfs(MEMORY_FOLDER)
    except OSError:
        return None
    return MEMORY_FOLDER if stats.f_bavail * stats.f_frsize >= MEMORY_NEEDED else None


class ThrowawayPostgres:
    """`in_memory=True` (the test suite) keeps the data in RAM when the machine has the room:
    each test copies a template database, and on a virtual disk that copy took 0.5 s; in RAM
    it takes 30 ms. Benchmarks keep the default, the disk, as a deployment would."""

    def __init__(self, in_memory=False):
        self.bin = find_bin()
        self.folder = tempfile.mkdtemp(
            prefix="inspector-pg-", dir=memory_folder() if in_memory else None
        )
        self.port = free_port()

    def start(self):
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        data = os.path.join(self.folder, "data")
        run_as_postgres(
            [
                f"{self.bin}/initdb",
                "-A",
                "trust",
                "-U",
                "postgres",
                "-D",
                data,
                "-E",
                "UTF8",
                "--locale=C",
            ]
        )
        options = (
            f"-p {self.port} -h 127.0.0.1 -k {self.folder} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        run_as_postgres(
            [
                f"{self.bin}/pg_ctl",
                "-D",
                data,
                "-o",
                options,
                "-w",
                "-l",
                os.path.join(self.folder, "log"),
                "start",
            ]
        )
        return self

    def url(self, database="postgres"):
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, sql):
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as connection:
            connection.execute(sql)

    def stop(self):
        try:
            run_as_postgres(
                [
                    f"{self.bin}/pg_ctl",
                    "-D",
                    os.path.join(self.folder, "data"),
                    "-m",
                    "immediate",
                    "stop",
                ]
            )
        finally:
            time.sleep(0.1)
            shutil.rmtree(self.folder, ignore_errors=True)

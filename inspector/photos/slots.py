"""Room for photo work in one worker process: a few decodes at once, a short queue, then 503.

A photo of the largest accepted size (60 MP) takes about 250 MB while it is decoded and
shrunk, and a file of 200 KB can be one, so the memory a worker needs is bounded by how many
it decodes at once (PHOTO_SLOTS). Uploads beyond that wait for a slot, at most PHOTO_QUEUE of
them for at most QUEUE_WAIT seconds; the rest are answered 503 with Retry-After at once, so
they give their server thread back to other requests instead of holding it while they wait.
The phone's send queue retries a 503 after a few seconds, like any 5xx.
"""

import contextlib
import threading

from inspector.errors import BusyError

QUEUE_WAIT = 10  # seconds an upload may wait for a slot before it is answered 503


class PhotoSlots:
    """At most `slots` holders at once; at most `queue` more waiting for their turn."""

    def __init__(self, slots: int, queue: int, wait: float = QUEUE_WAIT) -> None:
        self.free = threading.Semaphore(max(1, int(slots)))
        self.queue, self.wait = max(0, int(queue)), wait
        self.waiting = 0
        self.lock = threading.Lock()

    @classmethod
    def from_config(cls, config) -> "PhotoSlots":
        return cls(config["PHOTO_SLOTS"], config["PHOTO_QUEUE"])

    @contextlib.contextmanager
    def slot(self):
        """Hold a slot for the block; BusyError (503) when none comes free in time."""
        if not self.free.acquire(blocking=False) and not self.wait_for_slot():
            raise BusyError()
        try:
            yield
        finally:
            self.free.release()

    def wait_for_slot(self) -> bool:
        with self.lock:
            if self.waiting >= self.queue:
                return False
            self.waiting += 1
        try:
            return self.free.acquire(timeout=self.wait)
        finally:
            with self.lock:
                self.waiting -= 1

"""Room for decoding photos in one worker process: a budget of pixels, a short queue, then 503.

Decoding takes memory in proportion to the pixels (a 60 MP photo about 300 MB while it is
decoded and shrunk), and a file of 200 KB can be one. So each worker decodes at once only as
many photos as fit in PHOTO_MEGAPIXELS: the largest accepted photo alone, or dozens of phone
photos (1600 px, 2 MP). An upload that does not fit waits, at most PHOTO_QUEUE of them for at
most QUEUE_WAIT seconds; any other is answered 503 with Retry-After at once, so it gives its
server thread back to other requests instead of holding it while it waits. The phone's send
queue retries a 503 after a few seconds, like any 5xx.
"""

import contextlib
import threading

from inspector.errors import BusyError

QUEUE_WAIT = 10  # seconds an upload may wait for room before it is answered 503


class PixelBudget:
    """Pixels being decoded at once, at most `pixels`; at most `queue` uploads waiting."""

    def __init__(
        self, pixels: int, queue: int, wait: float = QUEUE_WAIT, decoders: int | None = None
    ) -> None:
        self.capacity = max(1, int(pixels))
        self.free = self.capacity
        # Photos decoded at once, whatever their size (None: as many as the pixels allow).
        # Phone photos are small: without this, every server thread could be decoding one
        # and a read would queue behind them (bench/sync_storm.py).
        self.decoders = decoders if decoders is None else max(1, int(decoders))
        self.decoding = 0
        self.queue, self.wait = max(0, int(queue)), wait
        self.waiting = 0
        self.changed = threading.Condition()

    @classmethod
    def from_config(cls, config) -> "PixelBudget":
        return cls(
            config["PHOTO_MEGAPIXELS"] * 1_000_000,
            config["PHOTO_QUEUE"],
            decoders=config.get("PHOTO_DECODERS"),
        )

    @contextlib.contextmanager
    def room(self, pixels: int):
        """Hold room for `pixels` during the block; BusyError (503) when none comes in time."""
        pixels = min(max(1, pixels), self.capacity)  # the largest photo fits on its own
        with self.changed:
            if not self.fits(pixels) and not self.wait_for(pixels):
                raise BusyError()
            self.free -= pixels
            self.decoding += 1
        try:
            yield
        finally:
            with self.changed:
                self.free += pixels
                self.decoding -= 1
                self.changed.notify_all()

    def fits(self, pixels: int) -> bool:
        """Whether a photo of `pixels` may be decoded now (the caller holds `changed`)."""
        return self.free >= pixels and (self.decoders is None or self.decoding < self.decoders)

    def wait_for(self, pixels: int) -> bool:
        """Wait in the queue for `pixels` to come free (the caller holds `changed`)."""
        if self.waiting >= self.queue:
            return False
        self.waiting += 1
        try:
            return self.changed.wait_for(lambda: self.fits(pixels), timeout=self.wait)
        finally:
            self.waiting -= 1

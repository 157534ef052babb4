"""The public lookup's limit: a token bucket per client, in this process's memory.

`per_minute` requests a minute, in bursts of at most that many.
"""

import time
from collections.abc import Callable


class RateLimiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic, max_clients: int = 50_000) -> None:
        self.capacity = float(per_minute)
        self.refill_per_second = per_minute / 60.0
        self.clock = clock
        self.max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, client: str) -> float:
        """0 when `client` may go ahead now; otherwise how many seconds until it may."""
        now = self.clock()
        tokens, last = self._buckets.get(client, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.refill_per_second)
        if tokens < 1:
            self._buckets[client] = (tokens, now)
            return (1 - tokens) / self.refill_per_second
        if len(self._buckets) >= self.max_clients:
            self._forget_full_buckets(now)
        self._buckets[client] = (tokens - 1, now)
        return 0.0

    def _forget_full_buckets(self, now: float) -> None:
        # A bucket that has refilled is the same as no bucket: dropping it bounds the memory used.
        idle = self.capacity / self.refill_per_second
        self._buckets = {key: value for key, value in self._buckets.items() if now - value[1] < idle}

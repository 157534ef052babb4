"""Per-dossier ordering for concurrent handlers: one FIFO lock per key, kept only while in use.

aio-pika runs up to `prefetch` handlers of a queue at once. Events of different dossiers may well
overlap, but two events of one dossier must be handled in the order they were delivered, or consumers
would see version gaps that only the retry delay heals.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class KeyedLocks:
    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str | None) -> AsyncIterator[None]:
        """Wait for the handlers of `key` delivered earlier (asyncio.Lock wakes waiters in FIFO order)."""
        if key is None:
            yield
            return
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

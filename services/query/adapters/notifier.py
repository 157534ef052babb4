"""Wakes read-your-writes waiters (đọc ngay sau khi ghi) as soon as this replica applies an event."""

import asyncio
import contextlib


class AppliedNotifier:
    """A counter of applied events and a condition to wait for it to move.

    A waiter notes `applied` before reading the store and waits for it to change, so an event applied
    between the read and the wait is never missed.
    """

    def __init__(self) -> None:
        self.applied = 0
        self._condition = asyncio.Condition()

    async def notify(self) -> None:
        async with self._condition:
            self.applied += 1
            self._condition.notify_all()

    async def wait_past(self, seen: int, within: float) -> None:
        """Return once an event beyond `seen` is applied, or after `within` seconds, whichever is first."""
        async with self._condition:
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation that races the
            # wake-up, and the waiting request would never stop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(within):
                    await self._condition.wait_for(lambda: self.applied != seen)

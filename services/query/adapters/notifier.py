"""Wakes read-your-writes waiters (đọc ngay sau khi ghi) as soon as this replica applies an event to their
dossier."""

import asyncio
import contextlib


class AppliedNotifier:
    """A counter of applied events, and the waiters of each dossier, woken by an event applied to it.

    A waiter notes `applied` before reading the store and waits past it: if any event was applied in between
    (perhaps to its dossier) it reads again at once, so none is missed. Otherwise only an event of its own
    dossier wakes it: with many citizens waiting on their commands at once, an event costs one read by the
    waiters of its dossier, not one by every waiter.
    """

    def __init__(self) -> None:
        self.applied = 0
        self._waiting: dict[str, set[asyncio.Event]] = {}

    async def notify(self, dossier_id: str) -> None:
        self.applied += 1
        for woken in self._waiting.get(dossier_id, ()):
            woken.set()

    async def wait_past(self, dossier_id: str, seen: int, within: float) -> None:
        """Return once an event of the dossier is applied (or any event was, since `seen`), or after `within`
        seconds, whichever is first."""
        if self.applied != seen:
            return
        woken = asyncio.Event()
        waiters = self._waiting.setdefault(dossier_id, set())
        waiters.add(woken)
        try:
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation that races the
            # wake-up, and the waiting request would never stop.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(within):
                    await woken.wait()
        finally:
            waiters.discard(woken)
            if not waiters:
                del self._waiting[dossier_id]

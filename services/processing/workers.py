"""The daily deadline watch as a timed loop (every service is a long-running process: no cron needed).

Each replica looks at its clock every `poll_seconds`; once a day, from the configured time in Vietnam on,
it warns of the dossiers at risk (handlers/deadline_watch.py). The warnings are idempotent per dossier and
due date, so every replica may run it: each warning is still published once. A replica that starts after
the day's time runs at once, so a restart or a deployment at that hour loses no day.
"""

import asyncio
import contextlib
from datetime import date, time

from services.processing.dependencies import Processing
from services.processing.handlers.deadline_watch import warn_of_deadlines
from shared.logging import get_logger
from shared.timezones import local_day

log = get_logger(__name__)


class DeadlineWatch:
    def __init__(self, processing: Processing, *, at: time, poll_seconds: float) -> None:
        self._processing = processing
        self._at = at
        self._poll_seconds = poll_seconds
        self._done_for: date | None = None
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        self._stopping.set()

    @property
    def done_for(self) -> date | None:
        """The last day this replica warned for (its readiness details and the tests read it)."""
        return self._done_for

    def due_day(self) -> date | None:
        """The day to warn for now, if its time has come and this replica has not warned for it yet."""
        now = self._processing.clock().astimezone(self._processing.zone)
        today = local_day(now, self._processing.zone)
        if now.time() < self._at or self._done_for == today:
            return None
        return today

    async def run(self) -> None:
        while not self._stopping.is_set():
            today = self.due_day()
            if today is not None:
                try:
                    await warn_of_deadlines(self._processing, today)
                    self._done_for = today
                except Exception as error:  # the store is away: try again at the next look at the clock
                    log.warning("deadline_watch_failed", error_type=type(error).__name__)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._poll_seconds):
                    await self._stopping.wait()

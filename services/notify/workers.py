"""The background sender: workers that send due deliveries, woken when one is recorded here and polling
for the rest (retries coming due, deliveries recorded by another replica, leases run out)."""

import asyncio
import contextlib

from services.notify.dependencies import Sending
from services.notify.handlers import send_next_due_delivery
from shared.logging import get_logger

log = get_logger(__name__)


class DeliverySender:
    def __init__(self, sending: Sending, *, workers: int, poll_seconds: float) -> None:
        self._sending = sending
        self._workers = workers
        self._poll_seconds = poll_seconds
        self._wake = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        """A delivery was just recorded: send it now rather than at the next poll."""
        self._wake.set()

    def stop(self) -> None:
        """Finish the sends under way, start no other, and let `run` return (a graceful shutdown)."""
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        """Send until stopped or cancelled, with several workers so that one slow mail server reply holds up
        no other."""
        async with asyncio.TaskGroup() as workers:
            for number in range(self._workers):
                workers.create_task(self._work(), name=f"notify-sender-{number}")

    async def _work(self) -> None:
        while not self._stopping:
            _stop_if_cancelled()
            self._wake.clear()
            try:
                sent = await send_next_due_delivery(self._sending)
            except Exception as error:  # the store is away: the deliveries wait in it, try again later
                log.warning("delivery_sender_failed", error_type=type(error).__name__)
                sent = False
            if not sent and not self._stopping:
                # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._poll_seconds):
                        await self._wake.wait()


def _stop_if_cancelled() -> None:
    """Honour a cancellation that was requested but never raised here.

    On Python 3.11, `asyncio.wait_for` (which aiosmtplib awaits every server reply with) drops a
    cancellation that arrives together with the reply; the worker would then run on and its service
    would never stop. The request still shows in the task's `cancelling()` count.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError()

"""Samples how many messages wait in each queue a service consumes, for `hoso_consumer_lag_messages`."""

import asyncio
import contextlib
from collections.abc import Sequence

from shared.messaging.port import Bus
from shared.metrics import CONSUMER_LAG


class ConsumerLagSampler:
    """Asks the bus for each queue's depth every `every_seconds`, until stopped.

    A worker the service stops rather than a loop it cancels: cancelling the broker's answer midway
    would close the channel it was asked on.
    """

    def __init__(self, bus: Bus, service: str, queues: Sequence[str], every_seconds: float) -> None:
        self._bus = bus
        self._service = service
        self._queues = queues
        self._every_seconds = every_seconds
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        while not self._stopping.is_set():
            for queue in self._queues:
                depth = await self._bus.queue_depth(queue)
                if depth is not None:
                    CONSUMER_LAG.labels(self._service, queue).set(depth)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._every_seconds):
                    await self._stopping.wait()

    def stop(self) -> None:
        self._stopping.set()

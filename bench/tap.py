"""Counting what goes through the broker: a queue bound to every routing key of both exchanges, never
consumed while it counts, whose length afterwards is the number of messages published meanwhile (and whose
messages, taken off it at the end, say what they were and how large)."""

from types import TracebackType

import aio_pika
from aio_pika.abc import AbstractQueue, AbstractRobustConnection


class BrokerTap:
    def __init__(self, amqp_url: str, namespace: str) -> None:
        self._url = amqp_url
        self._namespace = namespace
        self._connection: AbstractRobustConnection | None = None
        self._queue: AbstractQueue | None = None

    async def __aenter__(self) -> "BrokerTap":
        self._connection = await aio_pika.connect_robust(self._url)
        channel = await self._connection.channel()
        # Exclusive and not durable: a copy in memory, gone with the connection.
        self._queue = await channel.declare_queue(exclusive=True)
        for kind in ("events", "commands"):
            await self._queue.bind(await channel.get_exchange(f"{self._namespace}.{kind}"), routing_key="#")
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        if self._connection is not None:
            await self._connection.close()

    async def published(self) -> int:
        """How many messages the services and the bench published since the tap was opened."""
        assert self._queue is not None, "use BrokerTap as an async context manager"
        declared = await self._queue.declare()
        return int(declared.message_count or 0)

    async def traffic(self) -> dict[str, list[int]]:
        """Each routing key's [messages, body bytes] published since the tap was opened. It takes them off the
        tap's queue, so it is asked once, at the end, once the publishers are done."""
        assert self._queue is not None, "use BrokerTap as an async context manager"
        by_key: dict[str, list[int]] = {}
        while (message := await self._queue.get(no_ack=True, fail=False)) is not None:
            counted = by_key.setdefault(message.routing_key or "", [0, 0])
            counted[0] += 1
            counted[1] += len(message.body)
        return by_key

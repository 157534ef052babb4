"""Counting what goes through the broker: a queue bound to every routing key of both exchanges, never
consumed, whose length afterwards is the number of messages published meanwhile."""

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

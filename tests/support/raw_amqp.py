"""Talking to the broker under the bus's feet: publishing any bytes on any routing key (what a forger or a
broken producer does), and reading a queue's dead letters with the attempts and reason they carry."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aio_pika
from aio_pika.abc import AbstractChannel

from shared.messaging.port import EVENTS, Exchange
from shared.messaging.rabbitmq import ATTEMPTS_HEADER, REASON_HEADER


@dataclass(frozen=True)
class DeadLetter:
    body: bytes
    attempts: int
    reason: str


class RawAmqp:
    def __init__(self, channel: AbstractChannel, namespace: str) -> None:
        self._channel = channel
        self._namespace = namespace

    async def publish(self, body: bytes, routing_key: str, *, exchange: Exchange = EVENTS) -> None:
        """Publish `body` as it is, confirmed, on the namespace's exchange (declared by the bus already)."""
        target = await self._channel.get_exchange(f"{self._namespace}.{exchange}", ensure=False)
        await target.publish(aio_pika.Message(body, content_type="application/json",
                                              delivery_mode=aio_pika.DeliveryMode.PERSISTENT), routing_key=routing_key)

    async def take_dead_letters(self, queue: str) -> list[DeadLetter]:
        """The dead letters of the bus queue `queue` so far, taken off the queue."""
        dead = await self._channel.declare_queue(f"{self._namespace}.{queue}.dead", passive=True)
        letters = []
        while (message := await dead.get(fail=False)) is not None:
            headers = message.headers or {}
            # One the broker dead-lettered itself (rejected unread) carries only the broker's headers.
            attempts = headers.get(ATTEMPTS_HEADER)
            reason = headers.get(REASON_HEADER) or headers.get("x-first-death-reason")
            letters.append(DeadLetter(message.body, attempts if isinstance(attempts, int) else 1,
                                      reason.decode() if isinstance(reason, bytes) else str(reason)))
            await message.ack()
        return letters


@asynccontextmanager
async def raw_amqp(url: str, namespace: str) -> AsyncIterator[RawAmqp]:
    connection = await aio_pika.connect(url)
    try:
        channel = await connection.channel(publisher_confirms=True)
        yield RawAmqp(channel, namespace)
    finally:
        await connection.close()

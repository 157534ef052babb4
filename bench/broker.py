"""Step 1, the broker's ceiling: plain aio-pika on the same broker, queue type and message size as the
services, with nothing of the product in between.

- publish, confirm awaited per message: how the services' outbox relays publish (one at a time);
- publish, many confirms in flight: what the broker takes from one channel when the client does not wait;
- consume, manual ack per message, prefetch as the services set it: how fast one consumer drains a queue.
"""

import asyncio
import time
from typing import Any

import aio_pika

from shared.settings import ServiceSettings

IN_FLIGHT = 64
PREFETCH = ServiceSettings().prefetch


def ceiling_names(namespace: str) -> tuple[str, str]:
    """The queue and the exchange of this step."""
    return f"{namespace}.bench-ceiling", f"{namespace}.bench-ceiling"


async def measure(amqp_url: str, namespace: str, body: bytes, seconds: float) -> dict[str, Any]:
    """Each way for about `seconds`; the queue and exchange are deleted afterwards."""
    connection = await aio_pika.connect(amqp_url)
    try:
        publishing = await connection.channel(publisher_confirms=True)
        consuming = await connection.channel()
        await consuming.set_qos(prefetch_count=PREFETCH)
        queue_name, exchange_name = ceiling_names(namespace)
        exchange = await publishing.declare_exchange(exchange_name, aio_pika.ExchangeType.TOPIC, durable=True)
        # A durable quorum queue bound by pattern, as the services' queues are.
        queue = await consuming.declare_queue(queue_name, durable=True, arguments={"x-queue-type": "quorum"})
        await queue.bind(exchange, routing_key="dossier.#")
        try:
            one_by_one = await _publish(exchange, body, seconds, in_flight=1)
            pipelined = await _publish(exchange, body, seconds, in_flight=IN_FLIGHT)
            consumed = await _consume(queue, one_by_one[0] + pipelined[0])
        finally:
            await consuming.queue_delete(queue.name)
            await publishing.exchange_delete(exchange.name)
    finally:
        await connection.close()
    return {
        "message_bytes": len(body), "prefetch": PREFETCH, "in_flight": IN_FLIGHT,
        "publish_confirm_each_per_s": _per_second(*one_by_one),
        "publish_pipelined_per_s": _per_second(*pipelined),
        "consume_ack_each_per_s": _per_second(*consumed),
    }


async def _publish(exchange: aio_pika.abc.AbstractExchange, body: bytes, seconds: float,
                   in_flight: int) -> tuple[int, float]:
    """Publish persistent messages for `seconds`, `in_flight` unconfirmed at most; (count, elapsed)."""
    started = time.perf_counter()
    deadline = started + seconds
    sent = 0

    async def publisher() -> None:
        nonlocal sent
        while time.perf_counter() < deadline:
            message = aio_pika.Message(body, content_type="application/json",
                                       delivery_mode=aio_pika.DeliveryMode.PERSISTENT)
            await exchange.publish(message, routing_key="dossier.received")  # returns once confirmed
            sent += 1

    await asyncio.gather(*(publisher() for _ in range(in_flight)))
    return sent, time.perf_counter() - started


async def _consume(queue: aio_pika.abc.AbstractQueue, expected: int) -> tuple[int, float]:
    """Drain `expected` messages, acking each after its (empty) handler; (count, elapsed)."""
    done = asyncio.get_running_loop().create_future()
    received = 0

    async def handle(message: aio_pika.abc.AbstractIncomingMessage) -> None:
        nonlocal received
        await message.ack()
        received += 1
        if received == expected and not done.done():
            done.set_result(None)

    started = time.perf_counter()
    tag = await queue.consume(handle)
    try:
        await asyncio.wait_for(done, timeout=120)
    finally:
        await queue.cancel(tag)
    return received, time.perf_counter() - started


def _per_second(count: int, elapsed: float) -> float:
    return round(count / elapsed, 1)

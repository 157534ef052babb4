"""The bus contract for a graceful shutdown and for the metrics, on the in-process bus and real RabbitMQ.

Stopping a consumer takes no new deliveries, lets the handler in flight finish within the grace period,
and hands back whatever outlives it; queue depths and message outcomes are what `/metrics` shows.
"""

import asyncio
from collections.abc import AsyncIterator

import pytest
from prometheus_client import REGISTRY

from shared.messages import Envelope
from shared.messaging.memory import InProcessBus
from shared.messaging.port import Bus, PermanentFailure
from shared.messaging.rabbitmq import RabbitBus
from tests.support.broker import require_rabbitmq, unique_namespace
from tests.support.waiting import eventually

QUEUES = ("stopping", "stalled", "depth", "outcomes")


def message(type_: str = "dossier.submitted") -> Envelope:
    return Envelope(type=type_, producer="contract-test")


@pytest.fixture(params=["in_process", pytest.param("rabbitmq", marks=pytest.mark.rabbitmq)])
async def bus(request: pytest.FixtureRequest) -> AsyncIterator[Bus]:
    if request.param == "in_process":
        in_process = InProcessBus(namespace=unique_namespace(), retry_delay_seconds=0.05, max_attempts=2)
        yield in_process
        await in_process.close()
        return
    url, namespace = require_rabbitmq(), unique_namespace()
    rabbit = await RabbitBus.connect(url, namespace=namespace, retry_delay_seconds=0.05, max_attempts=2)
    try:
        yield rabbit
    finally:
        await rabbit.delete_topology(QUEUES)
        await rabbit.close()


class Gate:
    """A handler that records each delivery and holds it until released (forever unless released)."""

    def __init__(self) -> None:
        self.started: list[Envelope] = []
        self.finished: list[Envelope] = []
        self.release = asyncio.Event()

    async def __call__(self, envelope: Envelope) -> None:
        self.started.append(envelope)
        await self.release.wait()
        self.finished.append(envelope)


async def test_stopping_finishes_the_message_in_flight_and_takes_no_more(bus: Bus) -> None:
    gate = Gate()
    tag = await bus.consume("stopping", ["dossier.#"], gate)
    first, second = message(), message()
    await bus.publish(first)
    await eventually(lambda: gate.started, what="the first message in flight")

    stopping = asyncio.create_task(bus.stop_consuming(tag, grace_seconds=10))
    await asyncio.sleep(0.2)  # the stop is under way: the consumer is cancelled, its handler still running
    await bus.publish(second)
    gate.release.set()
    assert await stopping is True
    assert gate.finished == [first]

    after = Gate()
    after.release.set()
    await bus.consume("stopping", ["dossier.#"], after)
    await eventually(lambda: after.finished, what="the message published during the stop, for the next consumer")
    assert after.finished == [second] and gate.started == [first]


async def test_a_handler_outliving_the_grace_period_gives_its_message_back(bus: Bus) -> None:
    stalled = Gate()
    tag = await bus.consume("stalled", ["dossier.#"], stalled)
    held = message()
    await bus.publish(held)
    await eventually(lambda: stalled.started)

    assert await bus.stop_consuming(tag, grace_seconds=0.2) is False
    assert stalled.finished == []
    successor = Gate()
    successor.release.set()
    await bus.consume("stalled", ["dossier.#"], successor)
    await eventually(lambda: successor.finished, what="the handed-back message, delivered again")
    assert [envelope.id for envelope in successor.finished] == [held.id]


async def test_queue_depth_counts_the_messages_waiting(bus: Bus) -> None:
    tag = await bus.consume("depth", ["dossier.#"], Gate())
    await bus.stop_consuming(tag, grace_seconds=1)
    for _ in range(3):
        await bus.publish(message())

    async def depth_is_three() -> bool:
        return await bus.queue_depth("depth") == 3

    await eventually(depth_is_three, what="three messages waiting")
    assert await bus.queue_depth(f"never-declared-{unique_namespace()}") is None


async def test_counts_handled_retried_and_dead_lettered_messages(bus: Bus) -> None:
    before = {name: _count(name) for name in ("handled", "retried", "dead_lettered")}

    async def handler(envelope: Envelope) -> None:
        if envelope.type == "dossier.rejected":
            raise PermanentFailure("never")
        if envelope.type == "dossier.withdrawn":
            raise RuntimeError("always")  # two attempts: one retry, then the dead letters

    await bus.consume("outcomes", ["dossier.#"], handler)
    for type_ in ("dossier.submitted", "dossier.rejected", "dossier.withdrawn"):
        await bus.publish(message(type_))

    def moved() -> dict[str, float]:
        return {name: _count(name) - before[name] for name in before}

    await eventually(lambda: moved() == {"handled": 1, "retried": 1, "dead_lettered": 2}, what=str(moved()))


def _count(outcome: str) -> float:
    total = 0.0
    for type_ in ("dossier.submitted", "dossier.rejected", "dossier.withdrawn"):
        labels = {"service": "outcomes", "queue": "outcomes", "type": type_}
        total += REGISTRY.get_sample_value(f"hoso_messages_{outcome}_total", labels) or 0.0
    return total

"""The bus contract (shared/messaging/port.py), written once and run against both adapters.

Every case in the first part runs on the in-process bus and on real RabbitMQ; the cases after it need a
real broker (raw bytes on the wire, a consumer dying, the broker dropping the connection).
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import aio_pika
import pytest
import structlog

from shared.correlation import current_correlation_id
from shared.messages import Envelope
from shared.messaging.memory import InProcessBus
from shared.messaging.port import COMMANDS, Bus, PermanentFailure
from shared.messaging.rabbitmq import UNREADABLE_MESSAGE_TYPE, RabbitBus
from tests.support.broker import drop_connection_on_broker, require_rabbitmq, unique_namespace
from tests.support.waiting import eventually

RETRY_DELAY_SECONDS = 0.1
MAX_ATTEMPTS = 3
# Every queue a case consumes, so that the RabbitMQ fixture can delete them all afterwards.
QUEUES = ("on_events", "on_commands", "ordered", "first", "second", "flaky", "broken", "refused", "traced",
          "garbled", "survivor", "poisoned", "counted", "reconnecting", "batched")

OpenRabbit = Callable[..., Awaitable[RabbitBus]]


def message(type_: str, **fields: object) -> Envelope:
    return Envelope.model_validate({"type": type_, "producer": "contract-test", **fields})


class Recorder:
    """A handler that remembers every delivery and fails the first `failures` of them with `error`."""

    def __init__(self, failures: int = 0, error: type[Exception] = RuntimeError) -> None:
        self.received: list[Envelope] = []
        self.failures = failures
        self.error = error

    async def __call__(self, envelope: Envelope) -> None:
        self.received.append(envelope)
        if len(self.received) <= self.failures:
            raise self.error("failing on purpose")

    @property
    def types(self) -> list[str]:
        return [envelope.type for envelope in self.received]


def hang_after_setting(started: asyncio.Event) -> Callable[[Envelope], Awaitable[None]]:
    """A handler that never finishes, like a consumer process that dies holding its message."""

    async def hang(envelope: Envelope) -> None:
        started.set()
        await asyncio.Event().wait()

    return hang


class DeadLetters:
    """Collects a queue's dead letters across polls (taking them removes them from the bus)."""

    def __init__(self, bus: Bus, queue: str) -> None:
        self.bus = bus
        self.queue = queue
        self.taken: list[Envelope] = []

    async def reached(self, count: int) -> bool:
        self.taken += await self.bus.take_dead_letters(self.queue)
        return len(self.taken) >= count


@asynccontextmanager
async def rabbit_buses() -> AsyncIterator[OpenRabbit]:
    """Opens RabbitBus connections on one fresh namespace; closes them and deletes the topology after."""
    url, namespace = require_rabbitmq(), unique_namespace()

    async def open_one(**options: Any) -> RabbitBus:
        bus = await RabbitBus.connect(url, namespace=namespace, retry_delay_seconds=RETRY_DELAY_SECONDS,
                                      max_attempts=MAX_ATTEMPTS, **options)
        opened.append(bus)
        return bus

    opened: list[RabbitBus] = []
    try:
        yield open_one
    finally:
        for bus in opened:
            await bus.close()
        cleaner = await RabbitBus.connect(url, namespace=namespace)
        try:
            await cleaner.delete_topology(QUEUES)
        finally:
            await cleaner.close()


@pytest.fixture
async def open_rabbit() -> AsyncIterator[OpenRabbit]:
    async with rabbit_buses() as open_one:
        yield open_one


@pytest.fixture(params=["in_process", pytest.param("rabbitmq", marks=pytest.mark.rabbitmq)])
async def bus(request: pytest.FixtureRequest) -> AsyncIterator[Bus]:
    if request.param == "rabbitmq":
        async with rabbit_buses() as open_one:
            yield await open_one()
        return
    in_process = InProcessBus(namespace=unique_namespace(), retry_delay_seconds=RETRY_DELAY_SECONDS,
                              max_attempts=MAX_ATTEMPTS)
    yield in_process
    await in_process.close()


async def test_routes_by_pattern_on_each_exchange(bus: Bus) -> None:
    on_events, on_commands = Recorder(), Recorder()
    await bus.consume("on_events", ["dossier.#", "staff.*"], on_events)
    await bus.consume("on_commands", ["dossier.#", "staff.*"], on_commands, exchange=COMMANDS)

    for type_ in ("dossier", "dossier.submitted", "dossier.payment.completed", "staff.accept",
                  "staff.accept.now", "payment.completed", "dossier.last"):
        await bus.publish(message(type_))
    await bus.publish(message("staff.reject"), exchange=COMMANDS)
    await bus.publish(message("dossier.last"), exchange=COMMANDS)

    await eventually(lambda: "dossier.last" in on_events.types and "dossier.last" in on_commands.types)
    assert on_events.types == ["dossier", "dossier.submitted", "dossier.payment.completed", "staff.accept",
                               "dossier.last"]
    assert on_commands.types == ["staff.reject", "dossier.last"]


async def test_delivers_in_publish_order_while_handlers_succeed(bus: Bus) -> None:
    ordered = Recorder()
    await bus.consume("ordered", ["dossier.#"], ordered)

    for number in range(20):
        await bus.publish(message("dossier.updated", data={"number": number}))

    await eventually(lambda: len(ordered.received) == 20)
    assert [envelope.data["number"] for envelope in ordered.received] == list(range(20))


async def test_publishes_a_batch_in_its_order(bus: Bus) -> None:
    batched = Recorder()
    await bus.consume("batched", ["dossier.#"], batched)

    # Several dossiers' events interleaved, as an outbox relay's pass sends them.
    await bus.publish_many([message("dossier.updated", dossier_id=f"d-{number % 7}", version=number // 7 + 1,
                                    data={"number": number}) for number in range(300)])

    await eventually(lambda: len(batched.received) == 300)
    assert [envelope.data["number"] for envelope in batched.received] == list(range(300))


async def test_gives_each_bound_queue_its_own_copy(bus: Bus) -> None:
    first, second = Recorder(), Recorder()
    await bus.consume("first", ["dossier.#"], first)
    await bus.consume("second", ["dossier.*"], second)

    published = message("dossier.submitted", dossier_id="d-1", version=2, data={"title": "Chứng chỉ"})
    await bus.publish(published)

    await eventually(lambda: first.received and second.received)
    assert first.received == second.received == [published]


async def test_retries_a_failing_handler_until_it_succeeds(bus: Bus) -> None:
    flaky = Recorder(failures=2)
    await bus.consume("flaky", ["dossier.#"], flaky)

    published = message("dossier.submitted")
    await bus.publish(published)
    await eventually(lambda: len(flaky.received) == 3)
    # Anything delivered after the success proves it was settled: no fourth delivery slipped in before.
    await bus.publish(message("dossier.after"))
    await eventually(lambda: "dossier.after" in flaky.types)

    assert flaky.received[:3] == [published] * 3
    assert flaky.types.count("dossier.submitted") == 3
    assert await bus.take_dead_letters("flaky") == []


async def test_dead_letters_after_max_attempts_deliveries(bus: Bus) -> None:
    broken = Recorder(failures=1_000)
    await bus.consume("broken", ["dossier.#"], broken)

    published = message("dossier.submitted")
    await bus.publish(published)

    dead_letters = DeadLetters(bus, "broken")
    await eventually(lambda: dead_letters.reached(1))
    assert dead_letters.taken == [published]
    assert broken.received == [published] * MAX_ATTEMPTS


async def test_dead_letters_a_permanent_failure_at_once(bus: Bus) -> None:
    refused = Recorder(failures=1_000, error=PermanentFailure)
    await bus.consume("refused", ["staff.*"], refused, exchange=COMMANDS)

    published = message("staff.accept")
    await bus.publish(published, exchange=COMMANDS)

    dead_letters = DeadLetters(bus, "refused")
    await eventually(lambda: dead_letters.reached(1))
    assert dead_letters.taken == [published]
    assert refused.received == [published]


async def test_binds_the_correlation_id_while_handling(bus: Bus) -> None:
    seen: list[tuple[str | None, object]] = []

    async def remember_correlation(envelope: Envelope) -> None:
        seen.append((current_correlation_id(), structlog.contextvars.get_contextvars().get("correlation_id")))

    await bus.consume("traced", ["dossier.#"], remember_correlation)
    await bus.publish(message("dossier.submitted", correlation_id="request-42"))
    uncorrelated = message("dossier.received")
    await bus.publish(uncorrelated)

    await eventually(lambda: len(seen) == 2)
    assert seen[0] == ("request-42", "request-42")
    assert seen[1] == (uncorrelated.id, uncorrelated.id)


async def test_answers_ping_while_open(bus: Bus) -> None:
    assert await bus.ping()


# --- RabbitMQ only ----------------------------------------------------------------------------------------


@pytest.mark.rabbitmq
async def test_dead_letters_a_body_that_is_not_an_envelope(open_rabbit: OpenRabbit) -> None:
    bus = await open_rabbit()
    garbled = Recorder()
    await bus.consume("garbled", ["dossier.#"], garbled)

    channel = await bus.connection.channel()
    exchange = await channel.get_exchange(f"{bus.namespace}.events")
    await exchange.publish(aio_pika.Message(b"\xff{not json", message_id="raw-1"), routing_key="dossier.x")
    await channel.close()

    dead_letters = DeadLetters(bus, "garbled")
    await eventually(lambda: dead_letters.reached(1))
    [letter] = dead_letters.taken
    assert letter.type == UNREADABLE_MESSAGE_TYPE
    assert letter.data["message_id"] == "raw-1" and "{not json" in letter.data["body"]
    assert garbled.received == []


@pytest.mark.rabbitmq
async def test_redelivers_what_a_consumer_held_when_it_died(open_rabbit: OpenRabbit) -> None:
    dying, started = await open_rabbit(), asyncio.Event()
    await dying.consume("survivor", ["dossier.#"], hang_after_setting(started))
    held = message("dossier.submitted")
    await dying.publish(held)
    await eventually(started.is_set)
    await dying.close()

    restarted, survivor = await open_rabbit(), Recorder()
    # Published while the queue has no consumer: the declared queue keeps it.
    waiting = message("dossier.received")
    await restarted.publish(waiting)
    await restarted.consume("survivor", ["dossier.#"], survivor)

    await eventually(lambda: len(survivor.received) == 2)
    # Redelivery order after a crash is the broker's business; that both arrive is the contract.
    assert {envelope.id for envelope in survivor.received} == {held.id, waiting.id}


@pytest.mark.rabbitmq
async def test_dead_letters_a_message_that_kills_every_consumer(open_rabbit: OpenRabbit) -> None:
    publisher, poison = await open_rabbit(), message("dossier.submitted")
    for delivery in range(MAX_ATTEMPTS):
        consumer, started = await open_rabbit(), asyncio.Event()
        await consumer.consume("poisoned", ["dossier.#"], hang_after_setting(started))
        if delivery == 0:
            await publisher.publish(poison)
        await eventually(started.is_set, what=f"delivery {delivery + 1} of the poison message")
        await consumer.close()

    dead_letters = DeadLetters(publisher, "poisoned")
    await eventually(lambda: dead_letters.reached(1))
    assert dead_letters.taken == [poison]


@pytest.mark.rabbitmq
async def test_counts_deliveries_to_a_dead_consumer_toward_max_attempts(open_rabbit: OpenRabbit) -> None:
    dying, started = await open_rabbit(), asyncio.Event()
    await dying.consume("counted", ["dossier.#"], hang_after_setting(started))
    published = message("dossier.submitted")
    await dying.publish(published)
    await eventually(started.is_set)
    await dying.close()

    restarted, broken = await open_rabbit(), Recorder(failures=1_000)
    await restarted.consume("counted", ["dossier.#"], broken)

    dead_letters = DeadLetters(restarted, "counted")
    await eventually(lambda: dead_letters.reached(1))
    assert dead_letters.taken == [published]
    assert len(broken.received) == MAX_ATTEMPTS - 1


@pytest.mark.rabbitmq
async def test_resumes_consuming_after_the_broker_drops_the_connection(open_rabbit: OpenRabbit) -> None:
    connection_name = f"contract-{unique_namespace()}"
    bus = await open_rabbit(connection_name=connection_name, reconnect_interval_seconds=0.2)
    reconnecting = Recorder()
    await bus.consume("reconnecting", ["dossier.#"], reconnecting)
    reconnected = asyncio.Event()
    bus.connection.reconnect_callbacks.add(lambda *_args, **_kwargs: reconnected.set())

    await drop_connection_on_broker(connection_name)
    await eventually(reconnected.is_set)
    await bus.publish(message("dossier.after_reconnect"))

    await eventually(lambda: reconnecting.types == ["dossier.after_reconnect"])
    assert await bus.ping()

"""The in-process bus of the embedded run: the RabbitMQ adapter's routing and guarantees in one event loop.

Routing is a topic exchange's: a queue bound with ``dossier.#`` gets every ``dossier...`` message of that
exchange (``events`` or ``commands``), ``staff.*`` exactly one more word. Each queue keeps its messages in
order and hands them to its consumer's worker task one at a time. A handler that raises gets the message
again after `retry_delay_seconds`, at the back of the queue (after messages published meanwhile), as the
RabbitMQ adapter's retry queue does; so order holds only while handlers succeed. After `max_attempts`
deliveries, or at once on `PermanentFailure`, the message goes to the queue's dead letters.

Messages travel as JSON, parsed once per queue, so that both adapters hand handlers the same values and no
consumer can change another's copy. A consumer stopped while handling a message finishes it within the
grace period, or puts it back in its queue.
"""

import asyncio
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from shared.correlation import bind_correlation_id
from shared.logging import get_logger
from shared.messages import Envelope
from shared.messaging.port import EVENTS, Exchange, Handler, PermanentFailure
from shared.metrics import count_dead_lettered, count_handled, count_retried

log = get_logger(__name__)


def topic_matches(pattern: str, routing_key: str) -> bool:
    """Whether a topic-exchange binding pattern (``*`` one word, ``#`` zero or more) matches a key."""
    return _words_match(tuple(pattern.split(".")), tuple(routing_key.split(".")))


def _words_match(pattern: tuple[str, ...], words: tuple[str, ...]) -> bool:
    if not pattern:
        return not words
    head, rest = pattern[0], pattern[1:]
    if head == "#":
        return any(_words_match(rest, words[skipped:]) for skipped in range(len(words) + 1))
    return bool(words) and head in ("*", words[0]) and _words_match(rest, words[1:])


@dataclass(frozen=True)
class _Delivery:
    envelope: Envelope
    attempt: int = 1


@dataclass
class _Queue:
    """One named queue: where its messages wait, what it is bound to, and what it gave up on."""

    name: str
    bindings: set[tuple[Exchange, str]] = field(default_factory=set)
    pending: asyncio.Queue[_Delivery] = field(default_factory=asyncio.Queue)
    dead_letters: list[Envelope] = field(default_factory=list)

    def is_bound(self, exchange: Exchange, routing_key: str) -> bool:
        return any(bound == exchange and topic_matches(pattern, routing_key)
                   for bound, pattern in self.bindings)


@dataclass
class _Consumer:
    """One consumer of a queue: its worker task and the delivery it is handling, if any."""

    queue: _Queue
    handler: Handler
    worker: "asyncio.Task[None] | None" = None
    in_flight: _Delivery | None = None
    stopping: bool = False


class InProcessBus:
    """The `Bus` for one process: queues in memory, each drained by its consumer's own worker task."""

    def __init__(
        self, namespace: str = "hoso", retry_delay_seconds: float = 2.0, max_attempts: int = 5,
    ) -> None:
        self._namespace = namespace
        self._retry_delay_seconds = retry_delay_seconds
        self._max_attempts = max_attempts
        self._queues: dict[str, _Queue] = {}
        self._consumers: dict[str, _Consumer] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    async def publish(self, message: Envelope, *, exchange: Exchange = EVENTS) -> None:
        body = message.model_dump_json()
        for queue in self._queues.values():
            if queue.is_bound(exchange, message.routing_key):
                queue.pending.put_nowait(_Delivery(Envelope.model_validate_json(body)))

    async def publish_many(self, messages: Sequence[Envelope], *, exchange: Exchange = EVENTS) -> None:
        for message in messages:
            await self.publish(message, exchange=exchange)

    async def consume(
        self, queue: str, bindings: Sequence[str], handler: Handler, *, exchange: Exchange = EVENTS,
    ) -> str:
        # A second consumer of the same queue competes for its messages, as on RabbitMQ.
        declared = self._queues.setdefault(queue, _Queue(queue))
        declared.bindings.update((exchange, pattern) for pattern in bindings)
        consumer = _Consumer(declared, handler)
        tag = f"{queue}#{len(self._consumers) + 1}"
        self._consumers[tag] = consumer
        consumer.worker = self._start(self._deliver_forever(consumer), name=f"{self._namespace}.{queue}")
        return tag

    async def stop_consuming(self, tag: str, *, grace_seconds: float) -> bool:
        consumer = self._consumers.get(tag)
        if consumer is None or consumer.worker is None or consumer.worker.done():
            return True
        consumer.stopping = True
        if consumer.in_flight is None:
            consumer.worker.cancel()  # it waits for a message: cancelling takes none from the queue
        finished, _ = await asyncio.wait({consumer.worker}, timeout=grace_seconds)
        if not finished:
            consumer.worker.cancel()  # the delivery goes back to its queue (see _deliver_forever)
            await asyncio.gather(consumer.worker, return_exceptions=True)
        return consumer.in_flight is None and bool(finished)

    async def queue_depth(self, queue: str) -> int | None:
        declared = self._queues.get(queue)
        return None if declared is None else declared.pending.qsize()

    async def take_dead_letters(self, queue: str) -> list[Envelope]:
        declared = self._queues.get(queue)
        if declared is None:
            return []
        taken, declared.dead_letters = declared.dead_letters, []
        return taken

    async def ping(self) -> bool:
        return not self._closed

    async def close(self) -> None:
        self._closed = True
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    def _start(self, work: Coroutine[Any, Any, None], *, name: str) -> "asyncio.Task[None]":
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _deliver_forever(self, consumer: _Consumer) -> None:
        while not consumer.stopping:
            delivery = await consumer.queue.pending.get()
            consumer.in_flight = delivery
            try:
                await self._deliver(consumer.queue, consumer.handler, delivery)
            except asyncio.CancelledError:
                # Stopped before the handler finished: nothing was acknowledged, so it is delivered again.
                consumer.queue.pending.put_nowait(delivery)
                raise
            consumer.in_flight = None

    async def _deliver(self, queue: _Queue, handler: Handler, delivery: _Delivery) -> None:
        envelope = delivery.envelope
        # A message that starts a chain correlates by its own id, so that all its retries log under one id.
        bind_correlation_id(envelope.correlation_id or envelope.id)
        try:
            await handler(envelope)
        except PermanentFailure as exc:
            self._dead_letter(queue, delivery, exc, reason=exc.reason)
        except Exception as exc:
            if delivery.attempt >= self._max_attempts:
                self._dead_letter(queue, delivery, exc, reason="attempts_exhausted")
            else:
                self._retry_later(queue, delivery, exc)
        else:
            count_handled(queue.name, envelope.type)

    def _retry_later(self, queue: _Queue, delivery: _Delivery, error: Exception) -> None:
        # The error's text may carry personal data: only its type is logged.
        log.warning("bus.handler_failed", queue=queue.name, message_id=delivery.envelope.id,
                    message_type=delivery.envelope.type, attempt=delivery.attempt,
                    error=type(error).__name__, retry_in_seconds=self._retry_delay_seconds)
        count_retried(queue.name, delivery.envelope.type)
        self._start(self._redeliver(queue, replace(delivery, attempt=delivery.attempt + 1)),
                    name=f"{self._namespace}.{queue.name}.retry")

    async def _redeliver(self, queue: _Queue, delivery: _Delivery) -> None:
        await asyncio.sleep(self._retry_delay_seconds)
        queue.pending.put_nowait(delivery)

    def _dead_letter(self, queue: _Queue, delivery: _Delivery, error: Exception, *, reason: str) -> None:
        log.error("bus.message_dead_lettered", queue=queue.name, message_id=delivery.envelope.id,
                  message_type=delivery.envelope.type, attempt=delivery.attempt,
                  error=type(error).__name__, reason=reason)
        count_dead_lettered(queue.name, delivery.envelope.type)
        queue.dead_letters.append(delivery.envelope)

"""The RabbitMQ bus (aio-pika): durable topic exchanges, quorum queues, delayed retries and dead letters.

For namespace ``ns`` and a consumed queue ``q``:

- ``ns.events`` and ``ns.commands``: durable topic exchanges; a message's routing key is its type;
- ``ns.q``: a durable quorum queue bound to the consumer's patterns. It counts redeliveries after a
  consumer died holding the message (``x-delivery-count``) and dead-letters a message past
  ``x-delivery-limit``, so a message that kills its consumer every time cannot loop forever;
- ``ns.q.retry``: where a failed message waits `retry_delay_seconds` (message TTL) before the broker
  dead-letters it back to ``ns.q`` through the default exchange; a retried message so comes back after
  the messages published meanwhile;
- ``ns.q.dead``: the dead letters of ``ns.q``. The broker dead-letters into it through ``ns.dead`` (direct,
  by the key ``ns.q``) when a message passes the delivery limit;
- an exchange beside each companion queue, of the same name (``ns.q.retry``, ``ns.q.dead``: direct), that
  routes only to it: the bus publishes its retries and dead letters there, never on the default exchange or
  on ``ns.dead``, so that a service's broker user may write only to its own queues (shared/broker_users.py).
  The broker's own dead-lettering needs no user's permission.

A body larger than `max_message_bytes` is rejected unread, before any parsing, and the broker dead-letters
it itself (so it is not uploaded again). A failed message is never nacked back: requeueing would redeliver
it at once, in a hot loop. A copy goes to the retry queue or the dead letters, confirmed, and only then is
the original acked; a crash between the two yields a duplicate, never a loss.

Handlers of one queue run concurrently, up to `prefetch` at a time (aio-pika starts a task per delivery),
except that messages of one dossier are handled one after the other, in delivery order. Stopping a
consumer cancels it on the broker first, then waits for those tasks; a task still running after the grace
period is cancelled and its message handed back (nacked with requeue), to be delivered again.
"""

import asyncio
from collections.abc import Awaitable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import aio_pika
from aio_pika.abc import (
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustChannel,
    AbstractRobustConnection,
    AbstractRobustExchange,
)
from pydantic import ValidationError

from shared.correlation import bind_correlation_id
from shared.logging import get_logger
from shared.messages import Envelope
from shared.messaging.heartbeat import DEFAULT_HEARTBEAT_SECONDS, heartbeat_for, watch_connection
from shared.messaging.ordering import KeyedLocks
from shared.messaging.port import COMMANDS, EVENTS, Exchange, Handler, PermanentFailure
from shared.metrics import count_dead_lettered, count_handled, count_retried

log = get_logger(__name__)

T = TypeVar("T")

ATTEMPTS_HEADER = "x-hoso-attempts"
ERROR_HEADER = "x-hoso-error"
REASON_HEADER = "x-hoso-dead-letter-reason"
DELIVERY_COUNT_HEADER = "x-delivery-count"
# What `take_dead_letters` hands back for a dead letter whose body is not an envelope at all.
UNREADABLE_MESSAGE_TYPE = "bus.unreadable_message"
# No message of hoso's comes near this (a submission with its whole form and files' metadata is a few KB):
# a body larger is dead-lettered unread.
DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024
# Deliveries that reached the client before the broker's cancel-ok start their tasks within this.
SETTLE_SECONDS = 0.05


class BrokerLinkLost(ConnectionError):
    """The connection went away before the broker confirmed a publish: it may or may not have been taken."""


async def unless_link_lost(operation: Awaitable[T]) -> T:
    """Await a broker operation (a publish's confirm, a queue's depth), a lost connection reported as
    `BrokerLinkLost`.

    When the connection drops (a heartbeat timeout after a network cut, say) aio-pika cancels the futures
    it still awaits, and the caller sees a `CancelledError` though nobody cancelled it: a loop that rightly
    lets cancellations through (the outbox relay, the consumer-lag sampler) would end for good, and nothing
    would be published or sampled again once the connection is back. Only a cancellation of the calling
    task itself is one.
    """
    try:
        return await operation
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise
        raise BrokerLinkLost("the connection to the broker was lost before the broker answered") from None


@dataclass(frozen=True)
class QueueNames:
    """The broker names of one consumed queue and of its retry and dead-letter companions."""

    main: str
    # The name the service gave it, without the namespace: what the metrics call it.
    queue: str

    @property
    def retry(self) -> str:
        return f"{self.main}.retry"

    @property
    def dead(self) -> str:
        return f"{self.main}.dead"


class RabbitBus:
    """The `Bus` over RabbitMQ, on one robust connection that re-declares and re-consumes on reconnect."""

    def __init__(
        self, connection: AbstractRobustConnection, publishing: AbstractRobustChannel,
        consuming: AbstractRobustChannel, exchanges: dict[Exchange, AbstractRobustExchange],
        dead_letter_exchange: AbstractRobustExchange, *, namespace: str, retry_delay_seconds: float,
        max_attempts: int, max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES,
    ) -> None:
        self.connection = connection
        self._publishing = publishing
        self._consuming = consuming
        self._exchanges = exchanges
        self._dead_letter_exchange = dead_letter_exchange
        self.namespace = namespace
        self._retry_delay_seconds = retry_delay_seconds
        self._max_attempts = max_attempts
        self._max_message_bytes = max_message_bytes
        # Robust channels remember every declared queue object to re-declare it: declare each name once.
        self._declared: dict[str, AbstractQueue] = {}
        self._companions: dict[str, AbstractRobustExchange] = {}
        self._consumer_tags: dict[str, list[str]] = {}
        # Per consumer tag: its queue and the tasks handling its deliveries right now.
        self._in_flight: dict[str, tuple[AbstractQueue, set[asyncio.Task[None]]]] = {}
        # Queue depths are asked on a channel of their own: the broker closes the channel on which a
        # passive declare names a missing queue, and that must never be the consuming one.
        self._sampling: AbstractRobustChannel | None = None
        self._ordering = KeyedLocks()

    @classmethod
    async def connect(
        cls, url: str, *, namespace: str = "hoso", retry_delay_seconds: float = 2.0, max_attempts: int = 5,
        prefetch: int = 32, connection_name: str | None = None, reconnect_interval_seconds: float = 1.0,
        max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES, heartbeat_seconds: float = DEFAULT_HEARTBEAT_SECONDS,
    ) -> "RabbitBus":
        """Connect; a broker that goes silent (a cut or black-holed link) is noticed within
        `heartbeat_seconds`: the connection is closed, the bus is not ready, and it reconnects."""
        connection = await aio_pika.connect_robust(
            url, client_properties={"connection_name": connection_name or f"hoso:{namespace}"},
            reconnect_interval=reconnect_interval_seconds, timeout=heartbeat_seconds,
            heartbeat=heartbeat_for(heartbeat_seconds),
        )
        watch_connection(connection, heartbeat_seconds)
        try:
            # Publishing and consuming on separate channels: broker flow control on one never stalls acks.
            publishing = await connection.channel(publisher_confirms=True)
            consuming = await connection.channel()
            await consuming.set_qos(prefetch_count=prefetch)
            exchanges: dict[Exchange, AbstractRobustExchange] = {
                kind: await publishing.declare_exchange(
                    f"{namespace}.{kind}", aio_pika.ExchangeType.TOPIC, durable=True)
                for kind in (EVENTS, COMMANDS)
            }
            dead_letter_exchange = await publishing.declare_exchange(
                f"{namespace}.dead", aio_pika.ExchangeType.DIRECT, durable=True)
        except BaseException:
            await connection.close()
            raise
        return cls(connection, publishing, consuming, exchanges, dead_letter_exchange, namespace=namespace,
                   retry_delay_seconds=retry_delay_seconds, max_attempts=max_attempts,
                   max_message_bytes=max_message_bytes)

    async def publish(self, message: Envelope, *, exchange: Exchange = EVENTS) -> None:
        outgoing = aio_pika.Message(
            message.model_dump_json().encode(), content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT, message_id=message.id,
            correlation_id=message.correlation_id, type=message.type, timestamp=message.occurred_at,
        )
        # Unroutable messages are dropped (no queue wants them yet); confirms make a broker refusal raise.
        await unless_link_lost(
            self._exchanges[exchange].publish(outgoing, routing_key=message.routing_key, mandatory=False))

    async def publish_many(self, messages: Sequence[Envelope], *, exchange: Exchange = EVENTS) -> None:
        # Each publish takes the publishing channel's lock (first come, first served) before it first
        # suspends, and the tasks start in the order made: the frames leave in `messages`' order, and only
        # the confirms are awaited together. Every task is settled before an error is raised.
        publishing = [asyncio.create_task(self.publish(message, exchange=exchange)) for message in messages]
        outcomes = await asyncio.gather(*publishing, return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome

    async def consume(
        self, queue: str, bindings: Sequence[str], handler: Handler, *, exchange: Exchange = EVENTS,
    ) -> str:
        names = self._names(queue)
        await self._declare_dead_letter_queue(names)
        retry = await self._declare(names.retry, arguments={
            "x-message-ttl": round(self._retry_delay_seconds * 1000),
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": names.main,
        })
        await retry.bind(await self._companion_exchange(names.retry), routing_key=names.retry)
        main = await self._declare(names.main, arguments={
            "x-queue-type": "quorum",
            # The limit counts returns, not deliveries: max_attempts - 1 returns make max_attempts deliveries.
            "x-delivery-limit": max(self._max_attempts - 1, 0),
            "x-dead-letter-exchange": self._dead_letter_exchange.name,
            "x-dead-letter-routing-key": names.main,
            # At-least-once dead-lettering (RabbitMQ 3.10+) needs reject-publish; no length limit applies.
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
        })
        for pattern in bindings:
            await main.bind(self._exchanges[exchange], routing_key=pattern)
        in_flight: set[asyncio.Task[None]] = set()
        tag = await main.consume(partial(self._on_message, names, handler, in_flight))
        self._consumer_tags.setdefault(names.main, []).append(tag)
        self._in_flight[tag] = (main, in_flight)
        return tag

    async def stop_consuming(self, tag: str, *, grace_seconds: float) -> bool:
        queue, in_flight = self._in_flight.pop(tag, (None, set()))
        if queue is None:
            return True
        self._consumer_tags[queue.name].remove(tag)
        with suppress(Exception):  # a lost connection cancelled it already
            await queue.cancel(tag)
        await asyncio.sleep(SETTLE_SECONDS)
        if in_flight:
            await asyncio.wait(set(in_flight), timeout=grace_seconds)
        unfinished = set(in_flight)
        for task in unfinished:
            task.cancel()
        await asyncio.gather(*unfinished, return_exceptions=True)
        return not unfinished

    async def queue_depth(self, queue: str) -> int | None:
        """The messages ready in the queue, from a passive declare (which never creates or changes it)."""
        name = self._names(queue).main
        try:
            return await unless_link_lost(self._ready_in(name))
        except Exception as exc:
            log.warning("bus.queue_depth_unknown", queue=name, error=type(exc).__name__)
            return None

    async def _ready_in(self, name: str) -> int | None:
        if self._sampling is None or self._sampling.is_closed:
            self._sampling = await self.connection.channel()
        channel = await self._sampling.get_underlay_channel()
        declared = await channel.queue_declare(name, passive=True)
        return declared.message_count

    async def take_dead_letters(self, queue: str) -> list[Envelope]:
        dead = await self._declare_dead_letter_queue(self._names(queue))
        letters: list[Envelope] = []
        while (message := await dead.get(fail=False)) is not None:
            letters.append(_envelope_of_dead_letter(message, queue))
            await message.ack()
        return letters

    async def ping(self) -> bool:
        return not self.connection.is_closed and self.connection.connected.is_set()

    async def close(self) -> None:
        if not self.connection.is_closed:
            await self.connection.close()

    async def delete_topology(self, queues: Sequence[str]) -> None:
        """Delete this namespace's queues (main, retry, dead) and exchanges: test clean-up."""
        for queue in queues:
            names = self._names(queue)
            # Cancelled first, so that the broker does not cancel them itself (aio-pika warns of that).
            for tag in self._consumer_tags.pop(names.main, []):
                self._in_flight.pop(tag, None)
                await self._declared[names.main].cancel(tag)
            for name in (names.main, names.retry, names.dead):
                self._declared.pop(name, None)
                await self._consuming.queue_delete(name)
            for name in (names.retry, names.dead):
                self._companions.pop(name, None)
                await self._publishing.exchange_delete(name)
        for exchange in (*self._exchanges.values(), self._dead_letter_exchange):
            await self._publishing.exchange_delete(exchange.name)

    def _names(self, queue: str) -> QueueNames:
        return QueueNames(f"{self.namespace}.{queue}", queue)

    async def _declare(self, name: str, arguments: dict[str, Any] | None = None) -> AbstractQueue:
        if name not in self._declared:
            self._declared[name] = await self._consuming.declare_queue(
                name, durable=True, arguments=arguments)
        return self._declared[name]

    async def _declare_dead_letter_queue(self, names: QueueNames) -> AbstractQueue:
        dead = await self._declare(names.dead)
        await dead.bind(self._dead_letter_exchange, routing_key=names.main)
        await dead.bind(await self._companion_exchange(names.dead), routing_key=names.dead)
        return dead

    async def _companion_exchange(self, queue_name: str) -> AbstractRobustExchange:
        """The exchange that routes only to the companion queue of the same name (declared once)."""
        if queue_name not in self._companions:
            self._companions[queue_name] = await self._publishing.declare_exchange(
                queue_name, aio_pika.ExchangeType.DIRECT, durable=True)
        return self._companions[queue_name]

    async def _on_message(
        self, names: QueueNames, handler: Handler, in_flight: set[asyncio.Task[None]],
        message: AbstractIncomingMessage,
    ) -> None:
        task = asyncio.current_task()
        assert task is not None  # aio-pika runs each delivery in a task of its own
        in_flight.add(task)
        try:
            await self._handle(names, handler, message)
        except asyncio.CancelledError:
            # Stopped past the grace period: the message goes back to the queue now, for another consumer.
            with suppress(Exception):
                await message.nack(requeue=True)
            raise
        except Exception as exc:
            # Settling failed (a lost channel, a refused confirm): hand the message back for redelivery.
            log.error("bus.settle_failed", queue=names.main, message_id=message.message_id,
                      error=type(exc).__name__)
            with suppress(Exception):
                await message.nack(requeue=True)
        finally:
            in_flight.discard(task)

    async def _handle(self, names: QueueNames, handler: Handler, message: AbstractIncomingMessage) -> None:
        attempt = _attempt_of(message)
        if len(message.body) > self._max_message_bytes:
            # Never parsed, and not copied back either: the broker dead-letters the rejected original itself.
            log.error("bus.message_dead_lettered", queue=names.main, message_id=message.message_id,
                      message_type=message.type, attempt=attempt, size_bytes=len(message.body), reason="oversize")
            await message.reject(requeue=False)
            count_dead_lettered(names.queue, None)
            return
        try:
            envelope = Envelope.model_validate_json(message.body)
        except ValidationError as exc:
            await self._dead_letter(names, message, attempt, exc, reason="unreadable")
            count_dead_lettered(names.queue, None)
            return
        # A message that starts a chain correlates by its own id, so that all its retries log under one id.
        bind_correlation_id(envelope.correlation_id or envelope.id)
        try:
            # Taken before this task first suspends, so the lock queue keeps the delivery order.
            async with self._ordering.hold(envelope.dossier_id):
                await handler(envelope)
        except PermanentFailure as exc:
            await self._dead_letter(names, message, attempt, exc, reason=exc.reason)
            count_dead_lettered(names.queue, envelope.type)
        except Exception as exc:
            if attempt >= self._max_attempts:
                await self._dead_letter(names, message, attempt, exc, reason="attempts_exhausted")
                count_dead_lettered(names.queue, envelope.type)
            else:
                await self._retry_later(names, message, attempt, exc)
                count_retried(names.queue, envelope.type)
        else:
            await message.ack()
            count_handled(names.queue, envelope.type)

    async def _retry_later(
        self, names: QueueNames, message: AbstractIncomingMessage, attempt: int, error: Exception,
    ) -> None:
        # The error's text may carry personal data: only its type is logged or recorded.
        log.warning("bus.handler_failed", queue=names.main, message_id=message.message_id,
                    message_type=message.type, attempt=attempt, error=type(error).__name__,
                    retry_in_seconds=self._retry_delay_seconds)
        copy = _copy(message, {ATTEMPTS_HEADER: attempt, ERROR_HEADER: type(error).__name__})
        retry = await self._companion_exchange(names.retry)
        await unless_link_lost(retry.publish(copy, routing_key=names.retry, mandatory=False))
        await message.ack()

    async def _dead_letter(
        self, names: QueueNames, message: AbstractIncomingMessage, attempt: int, error: Exception, *,
        reason: str,
    ) -> None:
        log.error("bus.message_dead_lettered", queue=names.main, message_id=message.message_id,
                  message_type=message.type, attempt=attempt, error=type(error).__name__, reason=reason)
        copy = _copy(message, {ATTEMPTS_HEADER: attempt, ERROR_HEADER: type(error).__name__,
                               REASON_HEADER: reason})
        dead = await self._companion_exchange(names.dead)
        await unless_link_lost(dead.publish(copy, routing_key=names.dead, mandatory=False))
        await message.ack()


def _attempt_of(message: AbstractIncomingMessage) -> int:
    """Which delivery this is: failed attempts recorded by us, plus redeliveries after a consumer died."""
    headers = message.headers or {}
    return _as_count(headers.get(ATTEMPTS_HEADER)) + _as_count(headers.get(DELIVERY_COUNT_HEADER)) + 1


def _as_count(value: object) -> int:
    return value if isinstance(value, int) and value > 0 else 0


def _copy(message: AbstractIncomingMessage, headers: dict[str, Any]) -> aio_pika.Message:
    """A persistent copy of a delivered message, without the broker's own bookkeeping headers."""
    kept = {key: value for key, value in (message.headers or {}).items()
            if not key.startswith("x-") or key.startswith("x-hoso-")}
    return aio_pika.Message(
        message.body, headers={**kept, **headers}, content_type=message.content_type,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT, message_id=message.message_id,
        correlation_id=message.correlation_id, type=message.type, timestamp=message.timestamp,
    )


def _envelope_of_dead_letter(message: AbstractIncomingMessage, queue: str) -> Envelope:
    """The dead letter's envelope; a body that is none is wrapped whole, so taking it never loses it."""
    try:
        return Envelope.model_validate_json(message.body)
    except ValidationError:
        return Envelope(
            type=UNREADABLE_MESSAGE_TYPE, producer="bus",
            data={"queue": queue, "message_id": message.message_id,
                  "body": message.body.decode("utf-8", errors="replace")},
        )

"""The bus port every service talks to; adapters live beside it.

Semantics both adapters keep (the contract suite in tests/contract/test_bus.py checks them):

- `publish` returns only once the message is safely accepted (a broker confirm for RabbitMQ);
  `publish_many` publishes several in their order and returns once all are accepted (the confirms awaited
  together, not one after the other); when it raises, any of them may or may not have been taken;
- `consume` declares the service's durable queue bound to the given routing-key patterns on one exchange,
  and delivers each message at least once to `handler`;
- a message is acknowledged only after `handler` returns, so its effects are stored first;
- a handler that raises is retried after a delay, up to `max_attempts` deliveries; `PermanentFailure`
  skips the retries; either way a message that cannot be handled ends in the queue's dead-letter queue,
  never silently dropped, and `take_dead_letters` hands those back (for operators and tests);
- `consume` answers a consumer tag; `stop_consuming(tag)` takes no new deliveries for that consumer, lets
  its handlers in flight finish within the grace period, cancels the rest and puts their messages back
  in the queue, to be delivered again (a graceful shutdown: nothing lost); it answers whether all
  finished;
- `queue_depth` says how many messages wait in a queue (the consumer lag), None when it cannot tell.

Each service's queues are named after it (``query``, ``query.notifications``): the metrics label them so.
"""

from collections.abc import Awaitable, Callable, Sequence
from typing import Literal, Protocol

from shared.messages import Envelope

Exchange = Literal["events", "commands"]
EVENTS: Exchange = "events"
COMMANDS: Exchange = "commands"

Handler = Callable[[Envelope], Awaitable[None]]


class PermanentFailure(Exception):
    """The message can never be handled (malformed, unknown type): dead-letter it without retrying."""

    # Why, in one word, for the dead-letter log line and header; subclasses say more precisely.
    reason: str = "permanent_failure"


class Bus(Protocol):
    async def publish(self, message: Envelope, *, exchange: Exchange = EVENTS) -> None: ...

    async def publish_many(self, messages: Sequence[Envelope], *, exchange: Exchange = EVENTS) -> None: ...

    async def consume(
        self, queue: str, bindings: Sequence[str], handler: Handler, *, exchange: Exchange = EVENTS,
    ) -> str: ...

    async def stop_consuming(self, tag: str, *, grace_seconds: float) -> bool: ...

    async def queue_depth(self, queue: str) -> int | None: ...

    async def take_dead_letters(self, queue: str) -> list[Envelope]: ...

    async def ping(self) -> bool: ...

    async def close(self) -> None: ...

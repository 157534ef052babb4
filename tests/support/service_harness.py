"""One service as its unit tests drive it: the real bootstrap on a bus and the in-memory store, its internal
API through httpx, a spy on every message published, and a clock the test moves.

Each holder's tests/harness.py (processing, payment) builds on this and adds, in its own words, how its
dossiers arrive (`submit`, `request`) and what its tests do with them.
"""

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Self
from uuid import uuid4

import httpx

from shared.messages import Actor, Envelope
from shared.messaging.memory import InProcessBus
from shared.messaging.port import COMMANDS, Bus
from shared.runtime import Service, service_app
from tests.support.interleaving import InterleavingStore
from tests.support.waiting import eventually

# Tuesday 3 March 2026, 09:00 in Vietnam: no holiday for weeks around it.
START = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
OWNER = "citizen-1"
STAFF = Actor(kind="staff", id="clerk-7")


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def in_process_bus(name: str) -> InProcessBus:
    """A bus of the test's own, retrying quickly and giving up after three deliveries."""
    return InProcessBus(namespace=f"{name}-test-{uuid4().hex[:6]}", retry_delay_seconds=0.05, max_attempts=3)


@dataclass
class ServiceHarness:
    """A started service, its doors, its store and everything it has published so far."""

    service: Service
    bus: Bus
    store: InterleavingStore
    client: httpx.AsyncClient
    clock: Clock
    events: list[Envelope] = field(default_factory=list)
    spy_queue: str = field(default_factory=lambda: f"spy-{uuid4().hex[:6]}")

    @classmethod
    async def start(cls, service: Service, bus: Bus, store: InterleavingStore, clock: Clock, **more: Any) -> Self:
        """The harness around `service`, started with the spy listening to everything."""
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=service_app(service, manage_lifecycle=False)),
                                   base_url=f"http://{service.name}")
        harness = cls(service, bus, store, client, clock, **more)

        async def spy(event: Envelope) -> None:
            harness.events.append(event)

        await bus.consume(harness.spy_queue, ["#"], spy)
        await service.start()
        return harness

    def published(self, message_type: str, dossier_id: str | None = None) -> list[Envelope]:
        return [event for event in self.events
                if event.type == message_type and dossier_id in (None, event.dossier_id)]

    async def stored(self, collection: str, dossier_id: str) -> dict[str, Any]:
        """The stored record, without its outbox (which the relay empties at its own pace)."""
        found = await self.store.memory.db[collection].find_one({"_id": dossier_id}, {"outbox": 0, "outbox_pending": 0})
        assert found is not None, f"no record of {dossier_id}"
        return found

    async def holds(self, collection: str, dossier_id: str, version: int) -> None:
        """Wait until the service holds `dossier_id` at `version` or later."""
        async def held() -> bool:
            found = await self.store.db[collection].find_one({"_id": dossier_id})
            return found is not None and found["version"] >= version

        await eventually(held, timeout=5, what=f"{self.service.name} holds {dossier_id} v{version}")

    async def command(self, action: str, dossier_id: str | None, data: dict[str, Any] | None = None, *,
                      actor: Actor = STAFF, command_id: str | None = None) -> Envelope:
        """Publish a staff command on the commands exchange, as a staff tool does."""
        envelope = Envelope(id=command_id or str(uuid4()), type=f"staff.{action}", producer="staff-tool",
                            dossier_id=dossier_id, actor=actor, correlation_id=f"corr-{uuid4().hex[:6]}",
                            data=data or {})
        await self.bus.publish(envelope, exchange=COMMANDS)
        return envelope

    async def outcome_of(self, command: Envelope) -> Envelope:
        """The one answer to `command`, once it has been published."""
        def answers() -> list[Envelope]:
            return [event for event in self.events
                    if event.type.startswith("command.") and event.causation_id == command.id]

        await eventually(lambda: answers(), timeout=5, what=f"an answer to {command.type}")
        return answers()[0]


async def stop_service(harness: ServiceHarness, *, close_bus: bool = True) -> None:
    """Stop the service and its client, and its bus unless another harness or the test still needs it."""
    await harness.client.aclose()
    await _stop(harness.service)
    if close_bus:
        await harness.bus.close()


async def _stop(service: Service) -> None:
    """`service.stop()`, cancelling its loops again while it waits for them.

    On Python 3.11, `asyncio.wait_for` drops a cancellation that arrives as the awaited event is set, and
    OutboxRelay.run waits for its wake-up that way: a relay notified just before the stop would run on
    forever. (Reported; the relay should wait with `asyncio.timeout`.)
    """
    stopping = asyncio.ensure_future(service.stop())
    while not stopping.done():
        await asyncio.wait([stopping], timeout=0.2)
        for task in service._tasks:
            task.cancel()
    await stopping

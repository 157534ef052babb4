"""Processing as the tests drive it: the real bootstrap on the in-process bus and the in-memory store,
its internal API through httpx, a spy on every event it publishes, and a clock the test moves."""

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx

from services.processing.bootstrap import bootstrap
from services.processing.settings import ProcessingSettings
from shared.messages import Actor, DossierContent, DossierSubmitted, Envelope
from shared.messaging.memory import InProcessBus
from shared.messaging.port import COMMANDS, Bus
from shared.runtime import Service, service_app
from shared.store.memory import MemoryStore
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


def content(procedure_code: str = "SYT-KCB-02") -> DossierContent:
    return DossierContent.model_validate({
        "procedure_code": procedure_code, "title": "Cấp lại chứng chỉ hành nghề",
        "applicant": {"full_name": "Trần Thị Bình", "id_number": "001190000222", "phone": "0912000111",
                      "email": "binh@example.vn", "address": "Hà Nội"},
        "form": {"chuyen_mon": "Điều dưỡng", "ly_do": "Bị mất"}})


@dataclass
class Harness:
    service: Service
    bus: Bus
    store: InterleavingStore
    client: httpx.AsyncClient
    clock: Clock
    events: list[Envelope] = field(default_factory=list)
    spy_queue: str = field(default_factory=lambda: f"spy-{uuid4().hex[:6]}")

    def published(self, message_type: str, dossier_id: str | None = None) -> list[Envelope]:
        return [event for event in self.events
                if event.type == message_type and dossier_id in (None, event.dossier_id)]

    async def record(self, dossier_id: str) -> dict[str, Any]:
        """The stored record, without its outbox (which the relay empties at its own pace)."""
        found = await self.store.memory.db["dossiers"].find_one({"_id": dossier_id}, {"outbox": 0})
        assert found is not None, f"no record of {dossier_id}"
        return found

    async def submit(self, dossier_id: str | None = None, *, version: int = 2, owner: str = OWNER,
                     procedure_code: str = "SYT-KCB-02", from_status: str = "draft") -> str:
        """Publish intake's `dossier.submitted` and wait until processing holds that version."""
        dossier_id = dossier_id or f"d-{uuid4().hex[:8]}"
        payload = DossierSubmitted(from_status=from_status, owner_id=owner, owner_email=f"{owner}@example.vn",
                                   content=content(procedure_code))
        await self.bus.publish(Envelope(
            type=payload.message_type, producer="intake", dossier_id=dossier_id, version=version,
            actor=Actor(kind="citizen", id=owner), data=payload.model_dump(mode="json")))

        async def held() -> bool:
            found = await self.store.db["dossiers"].find_one({"_id": dossier_id})
            return found is not None and found["version"] >= version

        await eventually(held, timeout=5, what=f"processing holds {dossier_id} v{version}")
        return dossier_id

    async def act(self, dossier_id: str, action: str, actor_id: str = STAFF.id, **fields: Any) -> httpx.Response:
        return await self.client.post(f"/dossiers/{dossier_id}/actions/{action}",
                                      json={"actor_id": actor_id, **fields})

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


async def start_processing_service(
    *, bus: Bus | None = None, memory: MemoryStore | None = None, **settings: Any,
) -> Harness:
    """Processing on its own bus and store, or as one more replica on those of another harness."""
    bus = bus or InProcessBus(namespace=f"processing-test-{uuid4().hex[:6]}", retry_delay_seconds=0.05,
                              max_attempts=3)
    store = InterleavingStore(memory or MemoryStore("hoso_processing"))
    clock = Clock()
    service = bootstrap(ProcessingSettings(outbox_poll_seconds=0.05, **settings), bus, store, clock=clock)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=service_app(service, manage_lifecycle=False)),
                               base_url="http://processing")
    harness = Harness(service, bus, store, client, clock)

    async def spy(event: Envelope) -> None:
        harness.events.append(event)

    await bus.consume(harness.spy_queue, ["#"], spy)
    await service.start()
    return harness


async def stop_processing_service(harness: Harness, *, close_bus: bool = True) -> None:
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

"""Payment as the tests drive it: the real bootstrap on the in-process bus and the in-memory store, its
internal API through httpx, a spy on every event it publishes, and a clock the test moves."""

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx

from services.payment.adapters.providers.sandbox import SandboxProvider
from services.payment.adapters.providers.vnpay import VNPayProvider
from services.payment.bootstrap import bootstrap
from services.payment.domain.reports import Outcome
from services.payment.settings import PaymentSettings
from shared.messages import Actor, Envelope
from shared.messaging.memory import InProcessBus
from shared.messaging.port import COMMANDS, Bus
from shared.payments import FeeLine, PaymentRequested
from shared.runtime import Service, service_app
from shared.store.memory import MemoryStore
from tests.support.interleaving import InterleavingStore
from tests.support.waiting import eventually

# Tuesday 3 March 2026, 09:00 in Vietnam.
START = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
OWNER = "citizen-1"
STAFF = Actor(kind="staff", id="clerk-7")
SANDBOX_SECRET = "sandbox-secret-for-tests"
VNPAY_SECRET = "VNPAYTESTHASHSECRET0123456789ABC"
VNPAY_TMN_CODE = "HOSOTEST"
ITEMS = [FeeLine(kind="phi", name="Phí thẩm định cấp lại giấy phép hành nghề", amount_vnd=150_000)]


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Harness:
    service: Service
    bus: Bus
    store: InterleavingStore
    client: httpx.AsyncClient
    clock: Clock
    settings: PaymentSettings
    events: list[Envelope] = field(default_factory=list)
    spy_queue: str = field(default_factory=lambda: f"spy-{uuid4().hex[:6]}")

    @property
    def sandbox(self) -> SandboxProvider:
        """The sandbox as a genuine sender of reports: it knows the secret."""
        return SandboxProvider(secret=SANDBOX_SECRET, max_age_seconds=self.settings.sandbox_max_age_seconds)

    @property
    def vnpay(self) -> VNPayProvider:
        return VNPayProvider(tmn_code=VNPAY_TMN_CODE, hash_secret=VNPAY_SECRET, payment_url="https://vnpay.test/pay",
                             return_url="https://portal.test/v1/payments/return/vnpay")

    def published(self, message_type: str, dossier_id: str | None = None) -> list[Envelope]:
        return [event for event in self.events
                if event.type == message_type and dossier_id in (None, event.dossier_id)]

    async def record(self, dossier_id: str) -> dict[str, Any]:
        """The stored request, without its outbox (which the relay empties at its own pace)."""
        found = await self.store.memory.db["payment_requests"].find_one({"_id": dossier_id}, {"outbox": 0})
        assert found is not None, f"no record of {dossier_id}"
        return found

    async def request(self, dossier_id: str | None = None, *, version: int = 5, owner: str = OWNER,
                      items: list[FeeLine] | None = None) -> str:
        """Publish processing's `dossier.payment_requested` and wait until payment holds that version."""
        dossier_id = dossier_id or f"d-{uuid4().hex[:8]}"
        lines = items or ITEMS
        payload = PaymentRequested(from_status="processing", items=lines, amount_vnd=sum(i.amount_vnd for i in lines),
                                   procedure_code="SYT-KCB-02", owner_id=owner, owner_email=f"{owner}@example.vn")
        await self.bus.publish(Envelope(type=payload.message_type, producer="processing", dossier_id=dossier_id,
                                        version=version, actor=STAFF, data=payload.model_dump(mode="json")))

        async def held() -> bool:
            found = await self.store.db["payment_requests"].find_one({"_id": dossier_id})
            return found is not None and found["version"] >= version

        await eventually(held, timeout=5, what=f"payment holds {dossier_id} v{version}")
        return dossier_id

    async def pay(self, dossier_id: str, method: str = "online", owner: str = OWNER) -> httpx.Response:
        return await self.client.post(f"/dossiers/{dossier_id}/payments", json={"owner_id": owner, "method": method})

    async def paying_online(self, dossier_id: str) -> str:
        """Start an online payment; its transaction reference."""
        answer = await self.pay(dossier_id, "online")
        assert answer.status_code == 200, answer.text
        reference = answer.json()["checkout_url"].rsplit("/", 1)[-1]
        return str(reference)

    def report(self, reference: str, outcome: Outcome = "paid", amount_vnd: int = 150_000,
               sent_at: datetime | None = None) -> dict[str, str]:
        """A genuine sandbox report, signed with the secret."""
        return self.sandbox.report(reference, amount_vnd, outcome, "SBX-1", sent_at or self.clock())

    async def callback(self, params: dict[str, str], provider: str = "sandbox", *, get: bool = False) -> httpx.Response:
        if get:
            return await self.client.get(f"/callbacks/{provider}", params=params)
        return await self.client.post(f"/callbacks/{provider}", data=params)

    async def command(self, action: str, dossier_id: str | None, data: dict[str, Any] | None = None, *,
                      actor: Actor = STAFF, command_id: str | None = None) -> Envelope:
        envelope = Envelope(id=command_id or str(uuid4()), type=f"staff.{action}", producer="staff-tool",
                            dossier_id=dossier_id, actor=actor, correlation_id=f"corr-{uuid4().hex[:6]}",
                            data=data or {})
        await self.bus.publish(envelope, exchange=COMMANDS)
        return envelope

    async def outcome_of(self, command: Envelope) -> Envelope:
        def answers() -> list[Envelope]:
            return [event for event in self.events
                    if event.type.startswith("command.") and event.causation_id == command.id]

        await eventually(lambda: answers(), timeout=5, what=f"an answer to {command.type}")
        return answers()[0]

    async def all_published(self) -> None:
        """Every stored event has left its outbox and reached the spy."""
        async def outboxes_empty() -> bool:
            for collection in ("payment_requests", "callback_refusals", "command_outcomes"):
                if await self.store.memory.db[collection].count_documents({"outbox.0": {"$exists": True}}):
                    return False
            return True

        await eventually(outboxes_empty, timeout=5, what="every stored event published")
        marker = f"marker-{uuid4().hex[:6]}"
        await self.bus.publish(Envelope(type="test.marker", producer="test", data={"marker": marker}))
        await eventually(lambda: any(event.data.get("marker") == marker for event in self.events), timeout=5,
                         what="the spy has caught up")


async def start_payment_service(**settings: Any) -> Harness:
    bus = InProcessBus(namespace=f"payment-test-{uuid4().hex[:6]}", retry_delay_seconds=0.05, max_attempts=3)
    store = InterleavingStore(MemoryStore("hoso_payment"))
    clock = Clock()
    defaults: dict[str, Any] = {"outbox_poll_seconds": 0.05, "sandbox_secret": SANDBOX_SECRET}
    if settings.get("payment_provider") == "vnpay":
        defaults |= {"vnpay_tmn_code": VNPAY_TMN_CODE, "vnpay_hash_secret": VNPAY_SECRET,
                     "public_base_url": "https://portal.test", "vnpay_payment_url": "https://vnpay.test/pay"}
    chosen = PaymentSettings(**(defaults | settings))
    service = bootstrap(chosen, bus, store, clock=clock)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=service_app(service, manage_lifecycle=False)),
                               base_url="http://payment")
    harness = Harness(service, bus, store, client, clock, chosen)

    async def spy(event: Envelope) -> None:
        harness.events.append(event)

    await bus.consume(harness.spy_queue, ["#"], spy)
    await service.start()
    return harness


async def stop_payment_service(harness: Harness) -> None:
    await harness.client.aclose()
    await asyncio.wait_for(harness.service.stop(), timeout=10)
    await harness.bus.close()

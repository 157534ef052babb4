"""Payment as the tests drive it (tests/support/service_harness.py): the real bootstrap on the in-process bus
and the in-memory store, processing's hand-over, `dossier.payment_requested`, as the tests publish it, and
genuine providers' reports."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import uuid4

import httpx

from services.payment.adapters.providers.sandbox import SandboxProvider
from services.payment.adapters.providers.vnpay import VNPayProvider
from services.payment.bootstrap import bootstrap
from services.payment.domain.reports import Outcome
from services.payment.settings import PaymentSettings
from shared.messages import Envelope
from shared.payments import FeeLine, PaymentRequested
from shared.store.memory import MemoryStore
from tests.support.interleaving import InterleavingStore
from tests.support.service_harness import OWNER, STAFF, Clock, ServiceHarness, in_process_bus, stop_service
from tests.support.waiting import eventually

__all__ = ["ITEMS", "LOOKUP_CODE", "OWNER", "SANDBOX_SECRET", "STAFF", "Harness", "start_payment_service",
           "stop_payment_service"]

SANDBOX_SECRET = "sandbox-secret-for-tests"
VNPAY_SECRET = "VNPAYTESTHASHSECRET0123456789ABC"
VNPAY_TMN_CODE = "HOSOTEST"
ITEMS = [FeeLine(kind="phi", name="Phí thẩm định cấp lại giấy phép hành nghề", amount_vnd=150_000)]

# What processing drew at reception: the checkout names the dossier by it.
LOOKUP_CODE = "000.00.00.H01-250305-0001"


@dataclass(kw_only=True)
class Harness(ServiceHarness):
    settings: PaymentSettings

    @property
    def sandbox(self) -> SandboxProvider:
        """The sandbox as a genuine sender of reports: it knows the secret."""
        return SandboxProvider(secret=SANDBOX_SECRET, max_age_seconds=self.settings.sandbox_max_age_seconds)

    @property
    def vnpay(self) -> VNPayProvider:
        return VNPayProvider(tmn_code=VNPAY_TMN_CODE, hash_secret=VNPAY_SECRET, payment_url="https://vnpay.test/pay",
                             return_url="https://portal.test/v1/payments/return/vnpay")

    async def record(self, dossier_id: str) -> dict[str, Any]:
        return await self.stored("payment_requests", dossier_id)

    async def request(self, dossier_id: str | None = None, *, version: int = 5, owner: str = OWNER,
                      items: list[FeeLine] | None = None, reason: str | None = None) -> str:
        """Publish processing's `dossier.payment_requested` and wait until payment holds that version."""
        dossier_id = dossier_id or f"d-{uuid4().hex[:8]}"
        lines = items or ITEMS
        payload = PaymentRequested(from_status="processing", items=lines, amount_vnd=sum(i.amount_vnd for i in lines),
                                   procedure_code="SYT-KCB-02", owner_id=owner,
                                   reason=reason, lookup_code=LOOKUP_CODE)
        await self.bus.publish(Envelope(type=payload.message_type, producer="processing", dossier_id=dossier_id,
                                        version=version, actor=STAFF, data=payload.model_dump(mode="json")))
        await self.holds("payment_requests", dossier_id, version)
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
    bus = in_process_bus("payment")
    store = InterleavingStore(MemoryStore("hoso_payment"))
    clock = Clock()
    defaults: dict[str, Any] = {"outbox_poll_seconds": 0.05, "sandbox_secret": SANDBOX_SECRET}
    if settings.get("payment_provider") == "vnpay":
        defaults |= {"vnpay_tmn_code": VNPAY_TMN_CODE, "vnpay_hash_secret": VNPAY_SECRET,
                     "public_base_url": "https://portal.test", "vnpay_payment_url": "https://vnpay.test/pay"}
    chosen = PaymentSettings(**(defaults | settings))
    service = bootstrap(chosen, bus, store, clock=clock)
    return await Harness.start(service, bus, store, clock, settings=chosen)


stop_payment_service = stop_service

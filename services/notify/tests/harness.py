"""Notify as the tests drive it: the real bootstrap on the in-process bus and the in-memory store (or on
those of another replica), its internal API through httpx, and a spy on the reports it publishes."""

from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import httpx

from services.notify.bootstrap import bootstrap
from services.notify.domain.mail import MailTransport, SlipSource
from services.notify.domain.sms import SmsProvider
from services.notify.settings import NotifySettings
from services.notify.tests.fakes import KnownContacts
from shared.dossier_content import ContactsSource
from shared.messages import Envelope
from shared.messaging.memory import InProcessBus
from shared.messaging.port import Bus
from shared.runtime import Service, service_app
from shared.store.memory import MemoryStore
from tests.support.waiting import eventually

# Retries in milliseconds, so that a test sees a delivery through all its attempts quickly.
FAST: dict[str, Any] = {
    "delivery_first_retry_seconds": 0.02, "delivery_max_retry_seconds": 0.1, "delivery_poll_seconds": 0.02,
    "delivery_max_attempts": 3, "outbox_poll_seconds": 0.05, "smtp_timeout_seconds": 5,
    "delivery_lease_seconds": 10, "sms_timeout_seconds": 5,
    # No slips service beside notify here: tests/integration/test_receipt_attachment.py has one.
    "attach_slips": False,
}


@dataclass
class NotifyHarness:
    service: Service
    bus: Bus
    store: MemoryStore
    client: httpx.AsyncClient
    contacts: KnownContacts  # intake's answers: the owners' registered addresses and phones
    reports: list[Envelope] = field(default_factory=list)
    spy_queue: str = field(default_factory=lambda: f"spy-{uuid4().hex[:6]}")

    async def publish(self, *events: Envelope) -> None:
        for event in events:
            await self.bus.publish(event)

    async def deliveries(self, dossier_id: str) -> list[dict[str, Any]]:
        answer = await self.client.get("/deliveries", params={"dossier_id": dossier_id})
        answer.raise_for_status()
        items: list[dict[str, Any]] = answer.json()["items"]
        return items

    async def wait_for_state(self, dossier_id: str, state: str, count: int = 1) -> list[dict[str, Any]]:
        async def reached() -> bool:
            return len([item for item in await self.deliveries(dossier_id) if item["state"] == state]) >= count

        await eventually(reached, timeout=10, what=f"{count} delivery of {dossier_id} {state}")
        return await self.deliveries(dossier_id)

    def reported(self, message_type: str, dossier_id: str | None = None) -> list[Envelope]:
        return [report for report in self.reports
                if report.type == message_type and dossier_id in (None, report.dossier_id)]


async def start_notify(
    *, bus: Bus | None = None, memory: MemoryStore | None = None, transport: MailTransport | None = None,
    slips: SlipSource | None = None, sms_provider: SmsProvider | None = None, contacts: KnownContacts | None = None,
    intake: ContactsSource | None = None, **settings: Any,
) -> NotifyHarness:
    """Notify on its own bus and store, or as one more replica on those of another harness (give it the
    other's `contacts` too, to tell both the same); the owners' contacts from the fake `contacts`, or from
    `intake`'s real API when given one."""
    bus = bus or InProcessBus(namespace=f"notify-test-{uuid4().hex[:6]}", retry_delay_seconds=0.05,
                              max_attempts=3)
    store = memory or MemoryStore("hoso_notify")
    contacts = contacts or KnownContacts()
    service = bootstrap(NotifySettings(**{"smtp_host": None, **FAST, **settings}), bus, store, transport=transport,
                        slips=slips, sms_provider=sms_provider, contacts=intake or contacts)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=service_app(service, manage_lifecycle=False)),
                               base_url="http://notify")
    harness = NotifyHarness(service, bus, store, client, contacts)

    async def spy(report: Envelope) -> None:
        harness.reports.append(report)

    await bus.consume(harness.spy_queue, ["notification.*"], spy)
    await service.start()
    return harness


async def stop_notify(harness: NotifyHarness, *, close_bus: bool = True) -> None:
    await harness.client.aclose()
    await harness.service.stop()
    if close_bus:
        await harness.bus.close()

"""The slips service as the tests drive it: the real bootstrap on the in-process bus and the in-memory
store, its internal API through httpx, a spy on what it publishes, and the certificate it was given."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx

from services.slips.bootstrap import bootstrap
from services.slips.settings import SlipsSettings
from shared.messages import Envelope
from shared.messaging.memory import InProcessBus
from shared.runtime import Service, service_app
from shared.store.memory import MemoryStore


@dataclass
class SlipsHarness:
    service: Service
    bus: InProcessBus
    client: httpx.AsyncClient
    certificate_dir: Path
    issued: list[Envelope] = field(default_factory=list)

    async def publish(self, *events: Envelope) -> None:
        for event in events:
            await self.bus.publish(event)

    async def download(self, dossier_id: str, kind: str, **params: Any) -> httpx.Response:
        return await self.client.get(f"/dossiers/{dossier_id}/slips/{kind}", params=params)


async def start_slips(certificate_dir: Path, **settings: Any) -> SlipsHarness:
    bus = InProcessBus(namespace=f"slips-test-{uuid4().hex[:6]}", retry_delay_seconds=0.05, max_attempts=5)
    service = bootstrap(SlipsSettings(**{"dev_certificate_dir": certificate_dir, "outbox_poll_seconds": 0.05,
                                         **settings}), bus, MemoryStore("hoso_slips"))
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=service_app(service, manage_lifecycle=False)),
                               base_url="http://slips")
    harness = SlipsHarness(service, bus, client, certificate_dir)

    async def spy(event: Envelope) -> None:
        harness.issued.append(event)

    await bus.consume(f"spy-{uuid4().hex[:6]}", ["slip.issued"], spy)
    await service.start()
    return harness


async def stop_slips(harness: SlipsHarness) -> None:
    await harness.client.aclose()
    await harness.service.stop()
    await harness.bus.close()

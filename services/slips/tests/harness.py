"""The slips service as the tests drive it: the real bootstrap on the in-process bus and the in-memory
store, its internal API through httpx, a spy on what it publishes, and the certificate it was given."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
from fastapi import FastAPI

from services.slips.bootstrap import bootstrap
from services.slips.settings import SlipsSettings
from services.slips.tests.events import CONTENT
from shared.messages import Envelope
from shared.messaging.memory import InProcessBus
from shared.runtime import Service, service_app
from shared.store.memory import MemoryStore
from tests.support.contents import KnownContents


@dataclass
class SlipsHarness:
    service: Service
    bus: InProcessBus
    client: httpx.AsyncClient
    app: FastAPI
    certificate_dir: Path
    issued: list[Envelope] = field(default_factory=list)

    async def publish(self, *events: Envelope) -> None:
        for event in events:
            await self.bus.publish(event)

    def api_client(self) -> httpx.AsyncClient:
        """Another client of the same internal API (notify's, in tests that attach slips to mail)."""
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://slips")

    async def download(self, dossier_id: str, kind: str, **params: Any) -> httpx.Response:
        return await self.client.get(f"/dossiers/{dossier_id}/slips/{kind}", params=params)


async def start_slips(certificate_dir: Path, *, bus: InProcessBus | None = None, **settings: Any) -> SlipsHarness:
    """The slips service on its own bus, or on another harness's (notify's, for the mail it attaches to)."""
    bus = bus or InProcessBus(namespace=f"slips-test-{uuid4().hex[:6]}", retry_delay_seconds=0.05, max_attempts=5)
    service = bootstrap(SlipsSettings(**{"dev_certificate_dir": certificate_dir, "outbox_poll_seconds": 0.05,
                                         **settings}), bus, MemoryStore("hoso_slips"),
                        contents=KnownContents(every=CONTENT))
    app = service_app(service, manage_lifecycle=False)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://slips")
    harness = SlipsHarness(service, bus, client, app, certificate_dir)

    async def spy(event: Envelope) -> None:
        harness.issued.append(event)

    await bus.consume(f"spy-{uuid4().hex[:6]}", ["slip.issued"], spy)
    await service.start()
    return harness


async def stop_slips(harness: SlipsHarness, *, close_bus: bool = True) -> None:
    await harness.client.aclose()
    await harness.service.stop()
    if close_bus:
        await harness.bus.close()

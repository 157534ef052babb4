"""The query service started through its real bootstrap on the in-process bus, with a client onto its API."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from uuid import uuid4

import httpx

from services.query.bootstrap import bootstrap
from services.query.settings import QuerySettings
from shared.messaging.memory import InProcessBus
from shared.runtime import service_app
from shared.store.port import DocumentStore
from tests.support.contents import KnownContents


@dataclass
class QueryApi:
    bus: InProcessBus
    client: httpx.AsyncClient


@asynccontextmanager
async def running_query(store: DocumentStore) -> AsyncIterator[QueryApi]:
    """Started on `store` (left open for its owner to close), stopped on the way out."""
    bus = InProcessBus(namespace=f"test_{uuid4().hex[:8]}", retry_delay_seconds=0.05)
    # No intake: the suites' content events come as query keeps them, the applicant beside (events.life).
    service = bootstrap(QuerySettings(), bus, store, contents=KnownContents())
    await service.start()
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=service_app(service)), base_url="http://query")
    try:
        yield QueryApi(bus, client)
    finally:
        await client.aclose()
        await service.stop()
        await bus.close()

"""The query service's real bootstrap on the real broker, in the test's process: its internal API through
httpx, a bus of the producers' own to publish on, and the namespace's topology deleted afterwards."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from services.query.bootstrap import bootstrap
from services.query.settings import QuerySettings
from services.topology import queues_of
from shared.messaging.rabbitmq import RabbitBus
from shared.runtime import Service, service_app
from shared.store.memory import MemoryStore
from tests.support.broker import require_rabbitmq, unique_namespace
from tests.support.contents import KnownContents
from tests.support.histories import OWNER
from tests.support.waiting import eventually


@dataclass
class RunningQuery:
    service: Service
    publisher: RabbitBus  # what the producers publish through
    client: httpx.AsyncClient
    amqp_url: str
    namespace: str

    async def version(self, dossier_id: str) -> int | None:
        answer = await self.client.get(f"/dossiers/{dossier_id}/version", params={"at_least": 1, "timeout": 0})
        version = answer.json().get("version") if answer.status_code == 200 else None
        return version if isinstance(version, int) else None

    async def detail(self, dossier_id: str, owner: str = OWNER) -> dict[str, Any]:
        answer = await self.client.get(f"/dossiers/{dossier_id}", params={"owner_id": owner})
        assert answer.status_code == 200, answer.text
        detail: dict[str, Any] = answer.json()
        return detail

    async def reaches(self, dossier_id: str, version: int, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        async def reached() -> bool:
            return (await self.version(dossier_id) or 0) >= version

        await eventually(reached, timeout=timeout, what=f"the read model at {dossier_id} v{version}")


@asynccontextmanager
async def query_on_rabbitmq(**settings: Any) -> AsyncIterator[RunningQuery]:
    """Query started on a namespace of its own; `settings` are QuerySettings fields (max_attempts…)."""
    url = require_rabbitmq()
    namespace = unique_namespace()
    chosen = QuerySettings(amqp_url=url, namespace=namespace, **{"retry_delay_seconds": 0.2, **settings})
    bus = await RabbitBus.connect(url, namespace=namespace, retry_delay_seconds=chosen.retry_delay_seconds,
                                  max_attempts=chosen.max_attempts, prefetch=chosen.prefetch)
    publisher = await RabbitBus.connect(url, namespace=namespace)
    # No intake here: the events are applied with the outline they carry, no applicant.
    service = bootstrap(chosen, bus, MemoryStore(f"query_{namespace}"), contents=KnownContents())
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=service_app(service, manage_lifecycle=False)),
                               base_url="http://query")
    await service.start()
    try:
        yield RunningQuery(service, publisher, client, url, namespace)
    finally:
        await client.aclose()
        await service.stop()
        await bus.delete_topology(queues_of("query"))
        await bus.close()
        await publisher.close()

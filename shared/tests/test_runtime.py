"""A service's graceful stop and its /metrics, on the in-process bus and the in-memory store."""

import asyncio
from typing import Any

import httpx
from fastapi import APIRouter
from prometheus_client import REGISTRY

from shared.messages import Envelope
from shared.messaging.memory import InProcessBus
from shared.outbox import OUTBOX, OutboxRelay, outbox_fields
from shared.runtime import Consumer, Service, service_app
from shared.store.memory import MemoryStore
from tests.support.waiting import eventually


def started_service(bus: InProcessBus, handler: Any, relay: OutboxRelay | None = None,
                    router: APIRouter | None = None) -> Service:
    return Service(name="sample", bus=bus, store=MemoryStore("hoso_sample"), router=router or APIRouter(),
                   consumers=[Consumer("sample", ["dossier.#"], handler)], outboxes=[relay] if relay else [],
                   grace_seconds=5, sample_seconds=0.05)


async def test_stop_finishes_the_message_in_flight_then_publishes_what_its_outbox_holds() -> None:
    bus = InProcessBus(namespace="runtime-test")
    collection = MemoryStore("hoso_sample").db["changes"]
    # A relay that would not look again for an hour: only the stop's last pass can publish the event.
    relay = OutboxRelay(collection, bus, service="sample", poll_seconds=3600)
    started, release, published = asyncio.Event(), asyncio.Event(), []

    async def handler(envelope: Envelope) -> None:
        started.set()
        await release.wait()
        caused = Envelope(type="dossier.received", producer="sample", causation_id=envelope.id)
        await collection.insert_one({"_id": envelope.id, "updated_at": 1, **outbox_fields([caused])})

    async def spy(envelope: Envelope) -> None:
        published.append(envelope)

    await bus.consume("spy", ["dossier.received"], spy)
    service = started_service(bus, handler, relay)
    await service.start()
    await bus.publish(Envelope(type="dossier.submitted", producer="test"))
    await eventually(started.is_set, what="the message in flight")

    stopping = asyncio.create_task(service.stop())
    await eventually(lambda: service.stopping)
    assert not await service.ready()  # out of the load balancer while it drains
    release.set()
    await stopping
    await eventually(lambda: published, what="the outbox's event published by the stop")
    assert [event.type for event in published] == ["dossier.received"]
    assert await collection.count_documents({f"{OUTBOX}.0": {"$exists": True}}) == 0
    await bus.close()


async def test_metrics_count_requests_by_route_template_and_sample_the_consumer_lag() -> None:
    bus = InProcessBus(namespace="runtime-test")
    router = APIRouter()

    @router.get("/things/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    blocked = asyncio.Event()

    async def handler(_envelope: Envelope) -> None:
        await blocked.wait()

    service = started_service(bus, handler, router=router)
    labels = {"service": "sample", "method": "GET", "route": "/things/{thing_id}", "status": "200"}
    before = REGISTRY.get_sample_value("hoso_http_requests_total", labels) or 0.0
    await service.start()
    for _ in range(3):
        await bus.publish(Envelope(type="dossier.submitted", producer="test"))
    app = service_app(service, manage_lifecycle=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sample") as client:
        assert (await client.get("/things/001203004005")).status_code == 200

        async def exposed() -> str:
            return (await client.get("/metrics")).text

        # One message in flight, two waiting.
        await eventually(lambda: _has(exposed, 'hoso_consumer_lag_messages{queue="sample",service="sample"} 2.0'))
        text = await exposed()
    assert 'hoso_http_requests_total{method="GET",route="/things/{thing_id}",service="sample",status="200"}' in text
    assert REGISTRY.get_sample_value("hoso_http_requests_total", labels) == before + 1
    assert "001203004005" not in text  # route templates only: never an id from the path
    blocked.set()
    await service.stop()
    await bus.close()


async def _has(text: Any, line: str) -> bool:
    return line in await text()


async def test_metrics_behind_a_proxy_are_not_shown() -> None:
    service = started_service(InProcessBus(namespace="runtime-test"), None)
    app = service_app(service, manage_lifecycle=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sample") as client:
        answer = await client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert answer.status_code == 404


class Sender:
    """A worker in the middle of a job when the stop comes, as notify's sender is in the middle of a mail."""

    def __init__(self) -> None:
        self.busy, self.finished, self.stopping = asyncio.Event(), False, False

    async def run(self) -> None:
        while not self.stopping:
            self.busy.set()
            await asyncio.sleep(0.2)  # the job: it must not be cut off
            self.finished = True

    def stop(self) -> None:
        self.stopping = True


async def test_stop_lets_a_worker_finish_its_job() -> None:
    sender = Sender()
    service = Service(name="sample", bus=InProcessBus(namespace="runtime-test"), store=MemoryStore("hoso_sample"),
                      workers=[sender], grace_seconds=5)
    await service.start()
    await eventually(sender.busy.is_set)
    await service.stop()
    assert sender.finished

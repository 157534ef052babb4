"""Each service's `/metrics` in the distributed run (`make run-services`): the figures move when work flows.

A dossier goes through the gateway (created, submitted, accepted by a clerk); then a burst of events piles
up in the query service's queue, and an event with a gap in its versions is retried until it is given up.
"""

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from uuid import uuid4

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from shared.messages import Actor, DraftCreated, DraftUpdated, make_event
from shared.messaging.rabbitmq import RabbitBus
from tests.e2e.client import new_draft, ok, sign_in
from tests.e2e.conftest import delete_topology
from tests.faults.test_query_killed_mid_stream import content
from tests.support.broker import require_rabbitmq, unique_namespace
from tests.support.documents import attach_required
from tests.support.processes import free_port, running
from tests.support.waiting import eventually

pytestmark = [pytest.mark.rabbitmq]

SERVICES = ("intake", "query", "processing", "payment", "notify", "slips")
BURST = 800


@dataclass(frozen=True)
class Product:
    gateway: str
    services: dict[str, str]
    amqp_url: str
    namespace: str


@pytest.fixture(scope="module")
def product() -> Iterator[Product]:
    amqp_url, namespace = require_rabbitmq(), unique_namespace()
    ports = {name: free_port() for name in ("gateway", *SERVICES)}
    env = {f"{name.upper()}_PORT": str(port) for name, port in ports.items() if name != "gateway"}
    env |= {"PORT": str(ports["gateway"]), "AMQP_URL": amqp_url, "NAMESPACE": namespace, "DEMO_DATA": "0",
            "RETRY_DELAY_SECONDS": "0.1", "MAX_ATTEMPTS": "3", "METRICS_SAMPLE_SECONDS": "0.1"}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    try:
        with running("services.distributed", env, f"{urls['gateway']}/readyz", f"{namespace}-metrics"):
            yield Product(urls.pop("gateway"), urls, amqp_url, namespace)
    finally:
        asyncio.run(delete_topology(amqp_url, namespace))


def scrape(base_url: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a service's /metrics, by name and labels."""
    text = httpx.get(f"{base_url}/metrics").text
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def value(samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    """The sum over the samples named `name` whose labels include `labels` (0 when there are none)."""
    wanted = set(labels.items())
    return sum(found for (sample, sample_labels), found in samples.items()
               if sample == name and wanted <= sample_labels)


async def test_every_service_shows_its_work_on_metrics(product: Product) -> None:
    before = {name: scrape(url) for name, url in {"gateway": product.gateway, **product.services}.items()}
    dossier_id = _a_dossier_received(product.gateway)
    bus = await RabbitBus.connect(product.amqp_url, namespace=product.namespace)
    try:
        highest_lag = await _burst_into_query(bus, product.services["query"])
        # Version 2 of a dossier the read model never saw: a gap, kept without a retry; then a draft update
        # from a service that never writes one: dead-lettered at once.
        gap = make_event(DraftUpdated(content=content("Hồ sơ lạc")), producer="intake",
                         dossier_id=str(uuid4()), version=2, actor=Actor(kind="citizen", id="citizen-metrics"))
        await bus.publish(gap)
        await bus.publish(gap.model_copy(update={"id": str(uuid4()), "producer": "payment"}))
        await eventually(lambda: value(scrape(product.services["query"]), "hoso_messages_dead_lettered_total",
                                       queue="query") >= 1, timeout=20, what="the misattributed event given up on")
    finally:
        await bus.close()
    after = {name: scrape(url) for name, url in {"gateway": product.gateway, **product.services}.items()}

    def moved(process: str, name: str, **labels: str) -> float:
        return value(after[process], name, **labels) - value(before[process], name, **labels)

    submit = {"route": "/v1/dossiers/{dossier_id}/submit", "method": "POST"}
    assert moved("gateway", "hoso_http_requests_total", service="gateway", status="200", **submit) == 1
    assert moved("gateway", "hoso_http_request_duration_seconds_count", service="gateway", **submit) == 1
    assert not [labels for (name, labels) in after["gateway"] if dossier_id in str(labels)], "ids in labels"
    for service in SERVICES:
        assert moved(service, "hoso_http_requests_total", service=service) > 0, service
        assert ("hoso_consumer_lag_messages", service) in {(name, dict(labels).get("service"))
                                                           for name, labels in after[service]}, service
    handled = "hoso_messages_handled_total"
    assert moved("processing", handled, queue="processing", type="dossier.submitted") == 1
    assert moved("notify", handled, queue="notify", type="dossier.received") == 1
    assert moved("query", handled, queue="query") >= BURST + 3  # created, submitted, received and the burst
    assert moved("query", "hoso_messages_retried_total", queue="query", type="dossier.draft_updated") == 0
    assert moved("query", "hoso_messages_dead_lettered_total", queue="query", type="dossier.draft_updated") == 1
    assert highest_lag > 0, "the burst never showed as consumer lag"
    assert value(after["query"], "hoso_consumer_lag_messages", queue="query") == 0
    assert value(after["query"], "hoso_read_model_lag_seconds", service="query") > 0
    for service, collection in (("intake", "dossiers"), ("processing", "dossiers"), ("notify", "deliveries"),
                                ("slips", "slips")):
        samples = {labels for name, labels in after[service] if name == "hoso_outbox_backlog"}
        assert frozenset({("service", service), ("collection", collection)}) in samples, (service, samples)
        assert value(after[service], "hoso_outbox_backlog", service=service) == 0, service


def _a_dossier_received(gateway: str) -> str:
    with sign_in(gateway) as citizen, sign_in(gateway, roles=["staff"]) as clerk:
        dossier_id: str = ok(citizen.post("/v1/dossiers", json=new_draft()), 201)["id"]
        attach_required(citizen, dossier_id, "SYT-KCB-01")
        ok(citizen.post(f"/v1/dossiers/{dossier_id}/submit"))
        ok(clerk.post(f"/v1/staff/dossiers/{dossier_id}/accept"))
    return dossier_id


async def _burst_into_query(bus: RabbitBus, query: str) -> float:
    """Publish many new drafts at once; answer the highest consumer lag /metrics showed meanwhile."""
    owner, actor = "citizen-metrics", Actor(kind="citizen", id="citizen-metrics")
    events = [make_event(DraftCreated(owner_id=owner, content=content("Hồ sơ đo đếm")), producer="intake",
                         dossier_id=str(uuid4()), version=1, actor=actor) for _ in range(BURST)]
    highest = 0.0

    async def watch() -> None:
        nonlocal highest
        async with httpx.AsyncClient() as client:
            while True:
                samples = text_string_to_metric_families((await client.get(f"{query}/metrics")).text)
                lag = [sample.value for family in samples for sample in family.samples
                       if sample.name == "hoso_consumer_lag_messages" and sample.labels["queue"] == "query"]
                highest = max([highest, *lag])
                await asyncio.sleep(0.05)

    watching = asyncio.create_task(watch())
    await asyncio.gather(*(bus.publish(event) for event in events))

    async def drained() -> bool:
        return value(scrape(query), "hoso_consumer_lag_messages", queue="query") == 0 and highest > 0

    try:
        await eventually(drained, timeout=60, what="the burst handled and the lag back to zero")
    finally:
        watching.cancel()
    return highest

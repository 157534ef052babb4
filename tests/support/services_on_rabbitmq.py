"""Every consuming service's real bootstrap on one namespace of the real broker, in the test's process, with
the internal API of each through httpx; the namespace's topology is deleted afterwards."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from services.intake.bootstrap import bootstrap as bootstrap_intake
from services.intake.settings import IntakeSettings
from services.notify.bootstrap import bootstrap as bootstrap_notify
from services.notify.settings import NotifySettings
from services.payment.bootstrap import bootstrap as bootstrap_payment
from services.payment.settings import PaymentSettings
from services.processing.bootstrap import bootstrap as bootstrap_processing
from services.processing.settings import ProcessingSettings
from services.query.bootstrap import bootstrap as bootstrap_query
from services.query.settings import QuerySettings
from shared.dossier_content import IntakeContents
from shared.messaging.rabbitmq import RabbitBus
from shared.runtime import Service, service_app
from shared.store.memory import MemoryStore
from tests.support.broker import require_rabbitmq, unique_namespace


@dataclass
class RunningServices:
    services: dict[str, Service]
    clients: dict[str, httpx.AsyncClient]
    publisher: RabbitBus
    amqp_url: str
    namespace: str

    def queues(self) -> list[str]:
        return [consumer.queue for service in self.services.values() for consumer in service.consumers]


@asynccontextmanager
async def services_on_rabbitmq(max_attempts: int = 5, retry_delay_seconds: float = 0.2,
                               amqp_url: str | None = None) -> AsyncIterator[RunningServices]:
    """The services in this process over RabbitMQ: the shared broker's, or the one at `amqp_url`."""
    url = amqp_url or require_rabbitmq()
    namespace = unique_namespace()
    shared: dict[str, Any] = {"amqp_url": url, "namespace": namespace, "max_attempts": max_attempts,
                              "retry_delay_seconds": retry_delay_seconds, "mongo_url": None, "store_journal_dir": None}
    bus = await RabbitBus.connect(url, namespace=namespace, retry_delay_seconds=retry_delay_seconds,
                                  max_attempts=max_attempts)
    publisher = await RabbitBus.connect(url, namespace=namespace)
    intake = bootstrap_intake(IntakeSettings(**shared), bus, MemoryStore(f"intake_{namespace}"))
    # Query reads the applicant from intake's API, notify the owner's address and phone (the events carry
    # none of them), through its app here.
    intake_api = IntakeContents(httpx.AsyncClient(
        transport=httpx.ASGITransport(app=service_app(intake, manage_lifecycle=False)), base_url="http://intake"))
    services = {
        "query": bootstrap_query(QuerySettings(**shared), bus, MemoryStore(f"query_{namespace}"),
                                 contents=intake_api),
        "processing": bootstrap_processing(ProcessingSettings(**shared), bus, MemoryStore(f"processing_{namespace}")),
        "payment": bootstrap_payment(PaymentSettings(payment_provider="sandbox", **shared), bus,
                                     MemoryStore(f"payment_{namespace}")),
        "notify": bootstrap_notify(NotifySettings(**shared), bus, MemoryStore(f"notify_{namespace}"),
                                   contacts=intake_api),
        "intake": intake,
    }
    clients = {name: httpx.AsyncClient(transport=httpx.ASGITransport(app=service_app(service, manage_lifecycle=False)),
                                       base_url=f"http://{name}") for name, service in services.items()}
    for service in services.values():
        await service.start()
    running = RunningServices(services, clients, publisher, url, namespace)
    try:
        yield running
    finally:
        for client in clients.values():
            await client.aclose()
        await intake_api.close()
        for service in services.values():
            await service.stop()
        await bus.delete_topology(running.queues())
        await bus.close()
        await publisher.close()

"""The product under test, started the two ways the README gives: `make run` and `make run-services`."""

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from shared.messaging.rabbitmq import RabbitBus
from tests.e2e.client import sign_in
from tests.support.broker import require_rabbitmq, unique_namespace
from tests.support.processes import free_port, running

QUEUES = ["query", "query.notifications", "intake", "processing", "processing.commands", "payment",
          "payment.commands", "notify"]


@dataclass(frozen=True)
class Product:
    mode: str
    base_url: str
    amqp_url: str | None = None
    namespace: str | None = None
    supervisor_pid: int | None = None  # `make run-services`' own process, whose children are the services


@pytest.fixture(scope="module", params=["embedded", pytest.param("services", marks=pytest.mark.rabbitmq)])
def product(request: pytest.FixtureRequest) -> Iterator[Product]:
    if request.param == "embedded":
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with running("services.embedded", {"PORT": str(port), "DEMO_DATA": "0"}, f"{url}/readyz", "embedded"):
            yield Product("embedded", url)
    else:
        yield from run_services()


@pytest.fixture(scope="module")
def distributed(request: pytest.FixtureRequest) -> Iterator[Product]:
    """Only `make run-services`: for what only exists over RabbitMQ (the staff tools' AMQP door)."""
    yield from run_services()


def run_services(extra_env: dict[str, str] | None = None) -> Iterator[Product]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    amqp_url = require_rabbitmq()
    namespace = unique_namespace()
    env = {"PORT": str(port), "INTAKE_PORT": str(free_port()), "QUERY_PORT": str(free_port()),
           "PROCESSING_PORT": str(free_port()), "PAYMENT_PORT": str(free_port()), "NOTIFY_PORT": str(free_port()),
           "AMQP_URL": amqp_url, "DEMO_DATA": "0",
           "NAMESPACE": namespace, "RETRY_DELAY_SECONDS": "0.2", **(extra_env or {})}
    try:
        with running("services.distributed", env, f"{url}/readyz", "services") as supervisor:
            yield Product("services", url, amqp_url, namespace, supervisor.pid)
    finally:
        asyncio.run(delete_topology(amqp_url, namespace))


@pytest.fixture(scope="module")
def base_url(product: Product) -> str:
    return product.base_url


@pytest.fixture()
def citizen(base_url: str) -> Iterator[httpx.Client]:
    """A citizen signed in with a fresh account (người dân)."""
    with sign_in(base_url) as client:
        yield client


@pytest.fixture()
def other_citizen(base_url: str) -> Iterator[httpx.Client]:
    with sign_in(base_url) as client:
        yield client


@pytest.fixture()
def staff(base_url: str) -> Iterator[httpx.Client]:
    """A clerk of the Reception and Result Return Unit (cán bộ)."""
    with sign_in(base_url, roles=["staff"]) as client:
        yield client


async def delete_topology(amqp_url: str, namespace: str) -> None:
    bus = await RabbitBus.connect(amqp_url, namespace=namespace)
    try:
        await bus.delete_topology(QUEUES)
    finally:
        await bus.close()

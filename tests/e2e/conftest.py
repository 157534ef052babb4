"""The product under test, started the two ways the README gives: `make run` and `make run-services`."""

import asyncio
from collections.abc import Iterator

import pytest

from shared.messaging.rabbitmq import RabbitBus
from tests.support.broker import require_rabbitmq, unique_namespace
from tests.support.processes import free_port, running


@pytest.fixture(scope="module", params=["embedded", pytest.param("services", marks=pytest.mark.rabbitmq)])
def base_url(request: pytest.FixtureRequest) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    if request.param == "embedded":
        with running("services.embedded", {"PORT": str(port), "DEMO_DATA": "0"}, f"{url}/readyz",
                     "embedded"):
            yield url
        return
    amqp_url = require_rabbitmq()
    namespace = unique_namespace()
    env = {"PORT": str(port), "INTAKE_PORT": str(free_port()), "QUERY_PORT": str(free_port()),
           "AMQP_URL": amqp_url, "NAMESPACE": namespace, "RETRY_DELAY_SECONDS": "0.2"}
    try:
        with running("services.distributed", env, f"{url}/readyz", "services"):
            yield url
    finally:
        asyncio.run(_delete_topology(amqp_url, namespace))


async def _delete_topology(amqp_url: str, namespace: str) -> None:
    bus = await RabbitBus.connect(amqp_url, namespace=namespace)
    try:
        await bus.delete_topology(["query"])
    finally:
        await bus.close()

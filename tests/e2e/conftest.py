"""The product under test, started the two ways the README gives: `make run` and `make run-services`."""

import asyncio
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from services.topology import consumed_queues
from shared.messaging.rabbitmq import RabbitBus
from tests.e2e.client import sign_in
from tests.support.broker import require_rabbitmq, unique_namespace
from tests.support.processes import free_port, running, service_ports_env
from tests.support.smtp_sink import SmtpSink


@dataclass(frozen=True)
class Product:
    mode: str
    base_url: str
    amqp_url: str | None = None
    namespace: str | None = None
    # Where the run created its development signing certificate (DEV_CERTIFICATE_DIR): the slips verify with it.
    certificate_dir: Path | None = None
    supervisor_pid: int | None = None  # `make run-services`' own process, whose children are the services


@pytest.fixture(scope="module", params=["embedded", pytest.param("services", marks=pytest.mark.rabbitmq)])
def product(request: pytest.FixtureRequest) -> Iterator[Product]:
    if request.param == "embedded":
        yield from run_embedded()
    else:
        yield from run_services()


@pytest.fixture(scope="module")
def distributed(request: pytest.FixtureRequest) -> Iterator[Product]:
    """Only `make run-services`: for what only exists over RabbitMQ (the staff tools' AMQP door)."""
    yield from run_services()


def run_embedded(extra_env: dict[str, str] | None = None, *, log_name: str = "embedded") -> Iterator[Product]:
    """`make run` without its demo data (with `extra_env` on top), its development certificate in a temporary
    directory; its output in test-artifacts/logs/`log_name`.log."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="hoso-e2e-certificate-") as certificates, \
            running("services.embedded", {"PORT": str(port), "DEMO_DATA": "0", "DEV_CERTIFICATE_DIR": certificates,
                                          **(extra_env or {})}, f"{url}/readyz", log_name):
        yield Product("embedded", url, certificate_dir=Path(certificates))


def services_env(port: int, amqp_url: str, namespace: str, certificate_dir: str,
                 extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """`make run-services`' environment: the gateway on `port`, every other service on a free port of its own."""
    return {"PORT": str(port), **service_ports_env(port), "AMQP_URL": amqp_url, "DEMO_DATA": "0",
            "NAMESPACE": namespace, "RETRY_DELAY_SECONDS": "0.2", "DEV_CERTIFICATE_DIR": certificate_dir,
            **(extra_env or {})}


def run_services(extra_env: dict[str, str] | None = None, *, port: int | None = None,
                 log_name: str = "services") -> Iterator[Product]:
    """`make run-services` under a namespace of its own (with `extra_env` on top), its topology deleted after;
    its output (every service's log) in test-artifacts/logs/`log_name`.log."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    amqp_url = require_rabbitmq()
    namespace = unique_namespace()
    certificates = tempfile.TemporaryDirectory(prefix="hoso-e2e-certificate-")
    env = services_env(port, amqp_url, namespace, certificates.name, extra_env)
    try:
        with running("services.distributed", env, f"{url}/readyz", log_name) as supervisor:
            yield Product("services", url, amqp_url, namespace, Path(certificates.name), supervisor.pid)
    finally:
        certificates.cleanup()
        # In a thread of its own: a browser test's Playwright may be running an event loop in this one.
        with ThreadPoolExecutor(1) as alone:
            alone.submit(asyncio.run, delete_topology(amqp_url, namespace)).result()


def run_mailing(mode: str, log_name: str) -> Iterator[tuple[Product, SmtpSink]]:
    """A run (`embedded` or `services`) sending its mail to a real SMTP server on loopback, and that server;
    its log in test-artifacts/logs/`<mode>-<log_name>`.log."""
    sink = SmtpSink()
    sink.start_blocking()
    mail = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(sink.port), "SMTP_TLS": "none"}
    try:
        started = (run_embedded(mail, log_name=f"embedded-{log_name}") if mode == "embedded"
                   else run_services(mail, log_name=f"services-{log_name}"))
        for product in started:
            yield product, sink
    finally:
        sink.stop_blocking()


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
        await bus.delete_topology(consumed_queues())
    finally:
        await bus.close()

"""The query service's link to RabbitMQ black-holed (packets dropped, sockets left open) through a proxy of
the tests' own, then restored: /readyz says 503 with the reason within the heartbeat bound, the log says so,
and the service is ready again, and applies what was published meanwhile, once the link is back (issue 17:
/readyz stayed 200 through 90 s of it and nothing was logged)."""

import contextlib
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit
from uuid import uuid4

import httpx
import pytest

from services.topology import queues_of
from shared.messaging.rabbitmq import RabbitBus
from tests.support.broker import require_rabbitmq, unique_namespace
from tests.support.figures import report_figure
from tests.support.histories import OWNER, dossier_history
from tests.support.processes import LOG_DIR, free_port, running
from tests.support.tcp_proxy import BlackHoleProxy
from tests.support.waiting import eventually

pytestmark = [pytest.mark.rabbitmq, pytest.mark.slow]

HEARTBEAT_BOUND_SECONDS = 8


async def test_a_black_holed_broker_shows_on_readyz_and_in_the_log_and_the_service_recovers(intake_url: str) -> None:
    amqp_url = require_rabbitmq()
    broker = urlsplit(amqp_url)
    namespace = unique_namespace()
    proxy = BlackHoleProxy(broker.hostname or "127.0.0.1", broker.port or 5672)
    proxy.start()
    through_proxy = amqp_url.replace(f"{broker.hostname}:{broker.port or 5672}", f"127.0.0.1:{proxy.port}", 1)
    if broker.port is None:
        through_proxy = amqp_url.replace(f"@{broker.hostname}", f"@127.0.0.1:{proxy.port}", 1)
    port = free_port()
    log_name = f"query-black-holed-{namespace}"
    env = {"AMQP_URL": through_proxy, "NAMESPACE": namespace, "PORT": str(port), "RETRY_DELAY_SECONDS": "0.2",
           "AMQP_HEARTBEAT_SECONDS": str(HEARTBEAT_BOUND_SECONDS), "INTAKE_URL": intake_url}
    history = dossier_history(str(uuid4()))
    bus = await RabbitBus.connect(amqp_url, namespace=namespace)  # the producers' own link is not cut
    client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5)

    async def readyz() -> httpx.Response:
        return await client.get("/readyz")

    async def version() -> int:
        answer = await client.get(f"/dossiers/{history[0].dossier_id}/version", params={"at_least": 1, "timeout": 0})
        return int(answer.json()["version"] or 0)

    try:
        with running("services.query", env, f"http://127.0.0.1:{port}/readyz", log_name):
            await bus.publish(history[0])
            await eventually(lambda: _reaches(version, 1), timeout=20, what="the event applied before the cut")
            proxy.black_hole()
            cut_at = time.monotonic()

            async def says_broker_unreachable() -> bool:
                answer = await readyz()
                return answer.status_code == 503 and "broker_unreachable" in answer.json().get("reasons", [])

            await eventually(says_broker_unreachable, timeout=60, what="/readyz saying the broker is unreachable")
            noticed = time.monotonic() - cut_at
            await bus.publish(history[1])  # waits in the queue while the link is cut
            log_file = LOG_DIR / f"{log_name}.log"

            def logged_yet() -> bool:
                return "bus.broker_unreachable" in log_file.read_text(encoding="utf-8")

            # The log line is written by the connection's close callback, which may run just after /readyz
            # first says so: waited for, within a bound.
            with contextlib.suppress(AssertionError):
                await eventually(logged_yet, timeout=20, what="the loss of the broker logged")
            logged = logged_yet()
            proxy.restore()
            restored_at = time.monotonic()
            await eventually(lambda: _status_is(readyz, 200), timeout=60, what="/readyz ready again")
            recovered = time.monotonic() - restored_at
            await eventually(lambda: _reaches(version, 2), timeout=30, what="the event of the cut applied after it")
            detail = (await client.get(f"/dossiers/{history[0].dossier_id}", params={"owner_id": OWNER})).json()
    finally:
        await client.aclose()
        await bus.delete_topology(queues_of("query"))
        await bus.close()
        proxy.stop()
    report_figure("broker black-holed", f"query's link to RabbitMQ black-holed, then restored; heartbeat bound "
                  f"{HEARTBEAT_BOUND_SECONDS} s", f"/readyz 503 broker_unreachable {noticed:.1f} s into the cut, "
                  f"{'logged' if logged else 'NOT logged'}; ready again {recovered:.1f} s after the restore; the "
                  f"event published during the cut applied (v{detail['version']})",
                  held=logged and noticed <= HEARTBEAT_BOUND_SECONDS)
    assert logged, "the loss of the broker was not logged"
    assert detail["version"] == 2


async def _reaches(version: Callable[[], Awaitable[int]], wanted: int) -> bool:
    return await version() >= wanted


async def _status_is(readyz: Callable[[], Awaitable[httpx.Response]], status: int) -> bool:
    return (await readyz()).status_code == status

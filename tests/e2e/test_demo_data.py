"""Both ways to run start with the same demo data (unless DEMO_DATA=0): the demo citizen's dossiers, two of
them sent with their required documents attached, as a portal would have sent them."""

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from services.demo import DEMO_CITIZEN, DRAFTS
from services.distributed import service_ports
from tests.e2e.conftest import delete_topology
from tests.support.broker import require_rabbitmq, unique_namespace
from tests.support.processes import free_port, running, service_ports_env
from tests.support.waiting import eventually_sync

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture(params=["embedded", pytest.param("services", marks=pytest.mark.rabbitmq)])
def started_with_demo(request: pytest.FixtureRequest) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    if request.param == "embedded":
        with running("services.embedded", {"PORT": str(port)}, f"{url}/readyz", "embedded-demo"):
            yield url
        return
    amqp_url, namespace = require_rabbitmq(), unique_namespace()
    env = {"PORT": str(port), "AMQP_URL": amqp_url, "NAMESPACE": namespace, "RETRY_DELAY_SECONDS": "0.2",
           **service_ports_env(port)}
    try:
        with running("services.distributed", env, f"{url}/readyz", "services-demo"):
            yield url
    finally:
        asyncio.run(delete_topology(amqp_url, namespace))


def test_the_demo_citizen_finds_their_dossiers(started_with_demo: str) -> None:
    url = started_with_demo
    token = httpx.post(f"{url}/v1/dev/token", json=DEMO_CITIZEN.model_dump()).json()["access_token"]
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=15) as citizen:
        def counts() -> dict[str, int]:
            answer: dict[str, int] = citizen.get("/v1/me/status-counts").json()
            return answer

        sent = sum(1 for *_rest, send in DRAFTS if send)
        # The demo is loaded in the background once the services are ready: wait for all of it.
        eventually_sync(lambda: (counts().get("submitted", 0), counts().get("draft", 0)) == (sent, len(DRAFTS) - sent),
                        timeout=30, what="the demo dossiers, sent and not")
        items = citizen.get("/v1/dossiers", params={"status": "submitted"}).json()["items"]
        assert all(item["attached_files"] > 0 for item in items)


def test_service_ports_follow_the_gateways_port_unless_set() -> None:
    assert service_ports({"PORT": "9000"}) == {"query": 9102, "processing": 9103, "payment": 9104,
                                               "notify": 9105, "slips": 9106, "intake": 9101}
    assert service_ports({})["intake"] == 8101
    assert service_ports({"PORT": "9000", "QUERY_PORT": "7000"})["query"] == 7000

"""The query service killed (SIGKILL) mid-stream of 2,000 events and restarted: each applied exactly once.

The service runs as its own process on the real broker, its in-memory store journaled to disk so that
it survives the kill the way a MongoDB database would.
"""

from pathlib import Path
from uuid import uuid4

import httpx
import pytest

from services.topology import queues_of
from shared.messages import Actor, DossierContent, DossierSubmitted, DraftCreated, DraftUpdated, make_event
from shared.messaging.rabbitmq import RabbitBus
from tests.support.broker import require_rabbitmq, unique_namespace
from tests.support.processes import free_port, running, stop
from tests.support.waiting import eventually

pytestmark = [pytest.mark.rabbitmq, pytest.mark.slow]

DOSSIERS = 500  # four events each: created, updated twice, submitted
OWNER = "citizen-fault-test"


def content(title: str) -> DossierContent:
    return DossierContent.model_validate({
        "procedure_code": "SYT-KCB-01", "title": title, "form": {},
        "applicant": {"full_name": "Lê Văn Cường", "id_number": "001203004005", "phone": "0901234567",
                      "email": "cuong@example.vn", "address": "Huế"}})


def events_of(dossier_id: str) -> list:
    actor = Actor(kind="citizen", id=OWNER)
    payloads = [DraftCreated(owner_id=OWNER, content=content("Hồ sơ v1")),
                DraftUpdated(content=content("Hồ sơ v2")), DraftUpdated(content=content("Hồ sơ v3")),
                DossierSubmitted(from_status="draft", owner_id=OWNER, content=content("Hồ sơ v3"))]
    return [make_event(payload, producer="intake", dossier_id=dossier_id, version=version, actor=actor)
            for version, payload in enumerate(payloads, start=1)]


async def test_every_event_applied_exactly_once_across_a_kill(tmp_path: Path, intake_url: str) -> None:
    amqp_url = require_rabbitmq()
    namespace = unique_namespace()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {"AMQP_URL": amqp_url, "NAMESPACE": namespace, "PORT": str(port),
           "STORE_JOURNAL_DIR": str(tmp_path), "RETRY_DELAY_SECONDS": "0.2", "PREFETCH": "50",
           "INTAKE_URL": intake_url}
    dossier_ids = [str(uuid4()) for _ in range(DOSSIERS)]
    events = [event for dossier_id in dossier_ids for event in events_of(dossier_id)]
    bus = await RabbitBus.connect(amqp_url, namespace=namespace)
    client = httpx.AsyncClient(base_url=url, timeout=10)

    async def submitted_count() -> int:
        answer = await client.get("/status-counts", params={"owner_id": OWNER})
        return int(answer.json()["submitted"]) if answer.status_code == 200 else -1

    try:
        with running("services.query", env, f"{url}/readyz", "query-before-kill") as first:
            for event in events:
                await bus.publish(event)
            # Kill it as soon as it has made some progress, well before the end of the stream.
            await eventually(lambda: _progress(client), timeout=60, what="query applies some events")
            assert await submitted_count() < DOSSIERS, "the stream ended before the kill: nothing tested"
            stop(first, kill=True)
            assert first.returncode is not None
        # Redeliver a slice of the stream too, as a relay would after its own crash.
        for event in events[:400]:
            await bus.publish(event)
        with running("services.query", env, f"{url}/readyz", "query-after-kill"):
            await eventually(lambda: _all_submitted(client), timeout=120, what="every dossier submitted")
            for dossier_id in dossier_ids:
                detail = (await client.get(f"/dossiers/{dossier_id}", params={"owner_id": OWNER})).json()
                assert (detail["version"], detail["title"], detail["status"]) == (4, "Hồ sơ v3", "submitted")
                assert [(h["from"], h["to"]) for h in detail["history"]] == [(None, "draft"),
                                                                             ("draft", "submitted")]
            assert await submitted_count() == DOSSIERS
        assert await bus.take_dead_letters("query") == []
    finally:
        await client.aclose()
        await bus.delete_topology(queues_of("query"))
        await bus.close()


async def _progress(client: httpx.AsyncClient) -> bool:
    answer = await client.get("/dossiers", params={"owner_id": OWNER, "page_size": 1})
    return answer.status_code == 200 and answer.json()["total"] > 0


async def _all_submitted(client: httpx.AsyncClient) -> bool:
    answer = await client.get("/status-counts", params={"owner_id": OWNER})
    return answer.status_code == 200 and answer.json()["submitted"] == DOSSIERS

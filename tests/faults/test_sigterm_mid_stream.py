"""Services stopped by SIGTERM mid-stream (as an orchestrator stops a pod) and restarted: nothing lost, nothing
applied or published twice.

Each service runs as its own process on the real broker, its in-memory store journaled to disk so that it
survives the restarts the way a MongoDB database would. The stream waits in the service's queue before the
service starts, so that the SIGTERM, sent as soon as some of it is handled, lands well within it. The stop
must be the graceful one: the process logs that its consumers drained and its outboxes were emptied.
"""

import asyncio
import json
import signal
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any
from uuid import uuid4

import aio_pika
import httpx
import pytest

from services.topology import queues_of
from shared.messages import Actor, DossierContent, DossierSubmitted, make_event
from shared.messaging.rabbitmq import RabbitBus
from shared.statuses import Status
from tests.faults.test_query_killed_mid_stream import OWNER, events_of
from tests.support.broker import require_rabbitmq, unique_namespace
from tests.support.processes import LOG_DIR, free_port, running, stop
from tests.support.waiting import eventually

pytestmark = [pytest.mark.rabbitmq, pytest.mark.slow]

QUERY_DOSSIERS = 300  # four events each
PROCESSING_DOSSIERS = 400
CONTENT = DossierContent.model_validate({
    "procedure_code": "SYT-DUOC-01", "title": "Chứng chỉ hành nghề dược", "form": {},
    "applicant": {"full_name": "Võ Minh Tâm", "id_number": "001203004005", "phone": "0901234567",
                  "email": "tam@example.vn", "address": "Đà Nẵng"}})


def service_env(amqp_url: str, namespace: str, journal: Path) -> dict[str, str]:
    return {"AMQP_URL": amqp_url, "NAMESPACE": namespace, "STORE_JOURNAL_DIR": str(journal),
            "RETRY_DELAY_SECONDS": "0.2", "PREFETCH": "50", "SHUTDOWN_GRACE_SECONDS": "5"}


def stop_gracefully(process: subprocess.Popen[bytes], log_name: str) -> None:
    """SIGTERM, as Kubernetes sends it; the process must stop by itself, having drained and flushed."""
    stop(process)
    assert process.returncode == -signal.SIGTERM, f"exited with {process.returncode}, not by its SIGTERM"
    stopped = [json.loads(line) for line in (LOG_DIR / f"{log_name}.log").read_text().splitlines()
               if '"service_stopped"' in line]
    assert stopped and stopped[-1]["drained"] and stopped[-1]["outboxes_flushed"], stopped


async def test_query_stopped_mid_stream_applies_every_event_once(tmp_path: Path, intake_url: str) -> None:
    amqp_url, namespace, port = require_rabbitmq(), unique_namespace(), free_port()
    url, env = f"http://127.0.0.1:{port}", {**service_env(amqp_url, namespace, tmp_path), "PORT": str(port),
                                            "INTAKE_URL": intake_url}
    dossier_ids = [str(uuid4()) for _ in range(QUERY_DOSSIERS)]
    events = [event for dossier_id in dossier_ids for event in events_of(dossier_id)]
    bus = await RabbitBus.connect(amqp_url, namespace=namespace)
    client = httpx.AsyncClient(base_url=url, timeout=10)

    async def submitted() -> int:
        answer = await client.get("/status-counts", params={"owner_id": OWNER})
        return int(answer.json()["submitted"]) if answer.status_code == 200 else -1

    try:
        with running("services.query", env, f"{url}/readyz", f"{namespace}-query-0") as idle:
            stop_gracefully(idle, f"{namespace}-query-0")  # its queue is declared now, and waits for the stream
        for event in events:
            await bus.publish(event)
        with running("services.query", env, f"{url}/readyz", f"{namespace}-query-1") as first:
            await eventually(lambda: _some_applied(client), timeout=60, what="query applies some events")
            stop_gracefully(first, f"{namespace}-query-1")
        assert (await bus.queue_depth("query") or 0) > 0, "the stream ended before the SIGTERM: nothing tested"
        with running("services.query", env, f"{url}/readyz", f"{namespace}-query-2"):
            await eventually(lambda: _equals(submitted, QUERY_DOSSIERS), timeout=60, what="every dossier submitted")
            for dossier_id in dossier_ids:
                detail = (await client.get(f"/dossiers/{dossier_id}", params={"owner_id": OWNER})).json()
                assert (detail["version"], detail["title"]) == (4, "Hồ sơ v3")
                assert [(h["from"], h["to"]) for h in detail["history"]] == [(None, "draft"), ("draft", "submitted")]
        assert await bus.take_dead_letters("query") == []
    finally:
        await client.aclose()
        await bus.delete_topology(queues_of("query"))
        await bus.close()


async def test_processing_stopped_mid_stream_answers_and_publishes_each_command_once(tmp_path: Path) -> None:
    amqp_url, namespace, port = require_rabbitmq(), unique_namespace(), free_port()
    url, env = f"http://127.0.0.1:{port}", {**service_env(amqp_url, namespace, tmp_path), "PORT": str(port)}
    dossier_ids = [str(uuid4()) for _ in range(PROCESSING_DOSSIERS)]
    bus = await RabbitBus.connect(amqp_url, namespace=namespace)
    connection = await aio_pika.connect(amqp_url)
    published: list[dict[str, Any]] = []
    try:
        channel = await connection.channel()
        watcher = await channel.declare_queue(exclusive=True)
        for key in ("dossier.received", "command.#"):
            await watcher.bind(f"{namespace}.events", routing_key=key)  # declared by RabbitBus.connect

        async def collect(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                published.append(json.loads(message.body))

        await watcher.consume(collect)
        with running("services.processing", env, f"{url}/readyz", f"{namespace}-processing-0") as idle:
            await _submit(bus, url, dossier_ids)
            stop_gracefully(idle, f"{namespace}-processing-0")
        commands = await channel.get_exchange(f"{namespace}.commands")
        for dossier_id in dossier_ids:
            await commands.publish(_accept(dossier_id), routing_key="staff.accept")
        with running("services.processing", env, f"{url}/readyz", f"{namespace}-processing-1") as first:
            await eventually(lambda: published, timeout=60, what="processing accepts some dossiers")
            stop_gracefully(first, f"{namespace}-processing-1")
        assert (await bus.queue_depth("processing.commands") or 0) > 0, "the stream ended before the SIGTERM"
        with running("services.processing", env, f"{url}/readyz", f"{namespace}-processing-2"):
            await eventually(lambda: len(_of_type(published, "command.completed")) >= PROCESSING_DOSSIERS,
                             timeout=60, what="every command answered")
            # One more dossier through the restarted service: anything left behind would be relayed first.
            await _submit(bus, url, [last := str(uuid4())])
            await commands.publish(_accept(last), routing_key="staff.accept")
            await eventually(lambda: len(_of_type(published, "command.completed")) >= PROCESSING_DOSSIERS + 1
                             and last in [event["dossier_id"] for event in published], timeout=30)
        received = Counter(event["dossier_id"] for event in _of_type(published, "dossier.received"))
        answered = Counter(event["data"]["command_id"] for event in _of_type(published, "command.completed"))
        assert set(received) == {*dossier_ids, last} and set(received.values()) == {1}, "each received once"
        assert len(answered) == PROCESSING_DOSSIERS + 1 and set(answered.values()) == {1}, "each answered once"
        assert _of_type(published, "command.rejected") == []
        assert len({event["data"]["lookup_code"] for event in _of_type(published, "dossier.received")}) == len(received)
    finally:
        await connection.close()
        await bus.delete_topology(queues_of("processing"))
        await bus.close()


async def _submit(bus: RabbitBus, url: str, dossier_ids: list[str]) -> None:
    """Hand dossiers over to processing, and wait until it holds them all (commands find them then)."""
    citizen = Actor(kind="citizen", id="citizen-sigterm")
    for dossier_id in dossier_ids:
        await bus.publish(make_event(DossierSubmitted(from_status=Status.DRAFT, owner_id=citizen.id, content=CONTENT),
                                     producer="intake", dossier_id=dossier_id, version=2, actor=citizen))
    async with httpx.AsyncClient(base_url=url, timeout=10) as client:
        async def held(dossier_id: str) -> bool:
            answer = await client.get(f"/dossiers/{dossier_id}/version", params={"at_least": 2, "timeout": 5})
            return bool(answer.json()["reached"])

        waiting = set(dossier_ids)

        async def all_held() -> bool:
            asked = list(waiting)
            found = await asyncio.gather(*(held(dossier_id) for dossier_id in asked))
            waiting.difference_update(dossier_id for dossier_id, yes in zip(asked, found, strict=True) if yes)
            return not waiting

        await eventually(all_held, timeout=60, what="processing holds every submitted dossier")


def _accept(dossier_id: str) -> aio_pika.Message:
    command_id = str(uuid4())
    body = {"id": command_id, "type": "staff.accept", "producer": "test", "dossier_id": dossier_id,
            "actor": {"kind": "staff", "id": "clerk-1"}, "data": {}}
    return aio_pika.Message(json.dumps(body).encode(), message_id=command_id, content_type="application/json",
                            delivery_mode=aio_pika.DeliveryMode.PERSISTENT)


def _of_type(events: list[dict[str, Any]], type_: str) -> list[dict[str, Any]]:
    return [event for event in events if event["type"] == type_]


async def _some_applied(client: httpx.AsyncClient) -> bool:
    answer = await client.get("/dossiers", params={"owner_id": OWNER, "page_size": 1})
    return answer.status_code == 200 and answer.json()["total"] > 0


async def _equals(count: Any, expected: int) -> bool:
    return bool(await count() == expected)

"""Two processing processes accepting at once, on one store: every lookup code (mã hồ sơ) is distinct.

Both replicas consume the same queues on the real broker and share one database (MongoDB where MONGO_URL
points to one; here otherwise the journaled in-memory engine, which several processes can share).
"""

import asyncio
import json
import re
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
from tests.support.broker import require_rabbitmq, unique_namespace
from tests.support.processes import LOG_DIR, free_port, running
from tests.support.waiting import eventually

pytestmark = [pytest.mark.rabbitmq, pytest.mark.slow]

DOSSIERS = 80
CONTENT = DossierContent.model_validate({
    "procedure_code": "SYT-DUOC-01", "title": "Chứng chỉ hành nghề dược", "form": {},
    "applicant": {"full_name": "Võ Minh Tâm", "id_number": "001203004005", "phone": "0901234567",
                  "email": "tam@example.vn", "address": "Đà Nẵng"}})


def staff_command(action: str, dossier_id: str) -> aio_pika.Message:
    command_id = str(uuid4())
    body = {"id": command_id, "type": f"staff.{action}", "producer": "test", "dossier_id": dossier_id,
            "actor": {"kind": "staff", "id": "clerk-1"}, "data": {}}
    return aio_pika.Message(json.dumps(body).encode(), message_id=command_id, content_type="application/json")


async def test_concurrent_acceptance_on_two_replicas_gives_distinct_codes(tmp_path: Path) -> None:
    amqp_url = require_rabbitmq()
    namespace = unique_namespace()
    ports = [free_port(), free_port()]
    env: dict[str, str] = {"AMQP_URL": amqp_url, "NAMESPACE": namespace, "STORE_JOURNAL_DIR": str(tmp_path),
                           "RETRY_DELAY_SECONDS": "0.2"}
    dossier_ids = [str(uuid4()) for _ in range(DOSSIERS)]
    bus = await RabbitBus.connect(amqp_url, namespace=namespace)
    connection = await aio_pika.connect(amqp_url)
    received: dict[str, dict[str, Any]] = {}
    try:
        with running("services.processing", {**env, "PORT": str(ports[0])},
                     f"http://127.0.0.1:{ports[0]}/readyz", f"{namespace}-processing-1"), \
             running("services.processing", {**env, "PORT": str(ports[1])},
                     f"http://127.0.0.1:{ports[1]}/readyz", f"{namespace}-processing-2"):
            channel = await connection.channel()
            events = await channel.get_exchange(f"{namespace}.events")
            commands = await channel.get_exchange(f"{namespace}.commands")
            watcher = await channel.declare_queue(exclusive=True)
            await watcher.bind(events, routing_key="dossier.received")

            async def collect(message: aio_pika.abc.AbstractIncomingMessage) -> None:
                async with message.process():
                    envelope = json.loads(message.body)
                    received[envelope["dossier_id"]] = envelope["data"]

            await watcher.consume(collect)
            for dossier_id in dossier_ids:
                await bus.publish(make_event(
                    DossierSubmitted(from_status=Status.DRAFT, owner_id="citizen-x", content=CONTENT),
                    producer="intake", dossier_id=dossier_id, version=2, actor=Actor(kind="citizen", id="citizen-x")))
            async with httpx.AsyncClient(timeout=10) as client:
                async def known_to_processing(dossier_id: str) -> bool:
                    answer = await client.get(f"http://127.0.0.1:{ports[0]}/dossiers/{dossier_id}/version",
                                              params={"at_least": 2, "timeout": 5})
                    return bool(answer.json()["reached"])

                await eventually(lambda: _all(known_to_processing, dossier_ids), timeout=60,
                                 what="both replicas share every submitted dossier")
            await asyncio.gather(*(commands.publish(staff_command("accept", dossier_id), routing_key="staff.accept")
                                   for dossier_id in dossier_ids))
            await eventually(lambda: len(received) == DOSSIERS, timeout=60, what="every dossier received")
        codes = [data["lookup_code"] for data in received.values()]
        assert len(set(codes)) == DOSSIERS
        assert all(re.match(r"^.+-\d{6}-\d{4}$", code) for code in codes)
        logs = [(LOG_DIR / f"{namespace}-processing-{n}.log").read_text() for n in (1, 2)]
        assert all("dossier.received" in log for log in logs), "both replicas should have accepted some dossiers"
    finally:
        await connection.close()
        await bus.delete_topology(queues_of("processing"))
        await bus.close()


async def _all(check: Any, dossier_ids: list[str]) -> bool:
    return all(await asyncio.gather(*(check(dossier_id) for dossier_id in dossier_ids)))

"""A staff tool on its own (a plain aio-pika client) drives a dossier with AMQP commands, as DESIGN.md's
contract says: `staff.<action>` on the commands exchange, answered by `command.*` outcome events.
"""

import json
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import aio_pika
import pytest

from tests.e2e.client import detail, new_draft, sign_in, submitted_dossier
from tests.e2e.conftest import Product
from tests.support.waiting import eventually

pytestmark = [pytest.mark.e2e, pytest.mark.rabbitmq]


def command(action: str, dossier_id: str, data: dict[str, Any]) -> tuple[str, aio_pika.Message]:
    command_id = str(uuid4())
    body = {"id": command_id, "type": f"staff.{action}", "producer": "staff-tool", "dossier_id": dossier_id,
            "occurred_at": datetime.now(UTC).isoformat(), "actor": {"kind": "staff", "id": "clerk-09"},
            "data": data}
    return command_id, aio_pika.Message(json.dumps(body).encode(), content_type="application/json",
                                        message_id=command_id, delivery_mode=aio_pika.DeliveryMode.PERSISTENT)


async def test_commands_from_a_staff_tool_are_carried_out_or_refused(distributed: Product) -> None:
    assert distributed.amqp_url and distributed.namespace
    with sign_in(distributed.base_url) as citizen:
        accepted_id = submitted_dossier(citizen)
        draft_id = citizen.post("/v1/dossiers", json=new_draft("Hồ sơ nháp, không được tiếp nhận")).json()["id"]

        connection = await aio_pika.connect(distributed.amqp_url)
        try:
            channel = await connection.channel()
            commands = await channel.get_exchange(f"{distributed.namespace}.commands")
            events = await channel.get_exchange(f"{distributed.namespace}.events")
            outcomes_queue = await channel.declare_queue(exclusive=True)
            await outcomes_queue.bind(events, routing_key="command.#")
            outcomes: dict[str, dict[str, Any]] = {}

            async def collect(message: aio_pika.abc.AbstractIncomingMessage) -> None:
                async with message.process():
                    envelope = json.loads(message.body)
                    outcomes[envelope["data"]["command_id"]] = envelope

            await outcomes_queue.consume(collect)
            sent: dict[str, str] = {}
            to_send: dict[str, tuple[str, str, dict[str, Any]]] = {
                "accept": ("accept", accepted_id, {}),
                "accept_a_draft": ("accept", draft_id, {}),
                "reject_without_reason": ("reject", accepted_id, {}),
            }
            for name, (action, dossier_id, data) in to_send.items():
                command_id, message = command(action, dossier_id, data)
                await commands.publish(message, routing_key=f"staff.{action}")
                sent[name] = command_id

            await eventually(lambda: set(sent.values()) <= set(outcomes), timeout=20, what="every outcome")
        finally:
            await connection.close()

        accepted = outcomes[sent["accept"]]
        assert (accepted["type"], accepted["causation_id"]) == ("command.completed", sent["accept"])
        assert accepted["data"]["status"] == "received"
        refused = outcomes[sent["accept_a_draft"]]
        assert (refused["type"], refused["data"]["code"]) == ("command.rejected", "dossier_not_found")
        assert refused["data"]["reason"]
        invalid = outcomes[sent["reject_without_reason"]]
        assert invalid["type"] == "command.rejected" and invalid["data"]["reason"]

        await eventually(lambda: detail(citizen, accepted_id)["status"] == "received", timeout=10,
                         what="the read model shows the accepted dossier")
        assert detail(citizen, accepted_id)["lookup_code"]
        assert detail(citizen, draft_id)["status"] == "draft"

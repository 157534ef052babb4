"""The bus doors over the real broker: a submission taken over, a staff command delivered twice and
answered once, an unreadable command answered with a refusal, a fee paid that a staff tool cannot ask again."""

from collections.abc import AsyncIterator

import pytest

from services.processing.consumers import COMMANDS_QUEUE, HAND_OVERS_QUEUE
from services.processing.tests.harness import Harness, start_processing_service, stop_processing_service
from services.processing.tests.test_payment_hand_over import paid_and_processing_again
from shared.messaging.port import COMMANDS
from shared.messaging.rabbitmq import RabbitBus
from tests.support.broker import require_rabbitmq, unique_namespace
from tests.support.waiting import eventually

pytestmark = pytest.mark.rabbitmq


@pytest.fixture()
async def over_rabbitmq() -> AsyncIterator[Harness]:
    bus = await RabbitBus.connect(require_rabbitmq(), namespace=unique_namespace(), retry_delay_seconds=0.2,
                                  max_attempts=3)
    harness = await start_processing_service(bus=bus)
    try:
        yield harness
    finally:
        await stop_processing_service(harness, close_bus=False)  # the topology is deleted through it
        await bus.delete_topology([HAND_OVERS_QUEUE, COMMANDS_QUEUE, harness.spy_queue])
        await bus.close()


async def test_a_command_delivered_twice_is_applied_and_answered_once(over_rabbitmq: Harness) -> None:
    processing = over_rabbitmq
    dossier_id = await processing.submit(version=2)
    command = await processing.command("accept", dossier_id)
    await processing.bus.publish(command, exchange=COMMANDS)
    # Commands of one dossier are handled in order: once this one is answered, both copies were handled.
    later = await processing.command("accept", dossier_id)
    assert (await processing.outcome_of(later)).data["code"] == "transition_not_allowed"

    async def outbox_empty() -> bool:
        pending = {"_id": dossier_id, "outbox.0": {"$exists": True}}
        return await processing.store.memory.db["dossiers"].count_documents(pending) == 0

    await eventually(outbox_empty, timeout=10, what="the dossier's events published")

    def caused() -> list[str]:
        return sorted(event.type for event in processing.events if event.causation_id == command.id)

    await eventually(lambda: len(caused()) >= 2, timeout=10, what="the change and its answer received")
    assert caused() == ["command.completed", "dossier.received"]
    record = await processing.record(dossier_id)
    assert (record["version"], record["applied_commands"]) == (3, [command.id])


async def test_an_unreadable_command_is_refused_not_dead_lettered(over_rabbitmq: Harness) -> None:
    processing = over_rabbitmq
    dossier_id = await processing.submit(version=2)
    command = await processing.command("reject", dossier_id, {"reason": ""})
    outcome = await processing.outcome_of(command)
    assert (outcome.type, outcome.data["code"]) == ("command.rejected", "validation_error")
    assert await processing.bus.take_dead_letters(COMMANDS_QUEUE) == []


async def test_a_staff_tool_asking_for_the_paid_fee_again_is_refused(over_rabbitmq: Harness) -> None:
    """Payment's `dossier.paid` came over the broker; the procedure's fee asked again is refused, not applied."""
    processing = over_rabbitmq
    dossier_id = await paid_and_processing_again(processing)
    command = await processing.command("request-payment", dossier_id)
    outcome = await processing.outcome_of(command)
    assert (outcome.type, outcome.causation_id, outcome.data["code"]) == (
        "command.rejected", command.id, "fee_already_paid")
    assert outcome.data["reason"] == ("Phí, lệ phí của thủ tục đã được thanh toán; chỉ có thể yêu cầu thu thêm "
                                      "khoản phí bổ sung với lý do.")
    record = await processing.record(dossier_id)
    assert (record["status"], record["version"], record.get("applied_commands", [])) == ("processing", 8, [])

"""Staff commands over the bus (`staff.*` on the commands exchange): applied once, answered once."""

import base64
from typing import Literal

import pytest

from services.processing.tests.harness import Harness
from shared.messages import Actor, Envelope
from shared.messaging.port import COMMANDS
from tests.support.waiting import eventually


async def settled(processing: Harness, *dossier_ids: str) -> None:
    """Every command sent so far has been handled and every event it stored has been published.

    The commands queue is handled in order: once a marker sent last is answered, all before it were handled.
    """
    marker = await processing.command("start-processing", "d-marker")
    await processing.outcome_of(marker)

    async def outboxes_empty() -> bool:
        for collection in ("dossiers", "command_outcomes"):
            if await processing.store.memory.db[collection].count_documents({"outbox.0": {"$exists": True}}):
                return False
        return True

    await eventually(outboxes_empty, timeout=5, what="every stored event published")


async def test_a_command_is_applied_and_answered_in_its_correlation(processing: Harness) -> None:
    dossier_id = await processing.submit(version=2)
    command = await processing.command("accept", dossier_id)
    outcome = await processing.outcome_of(command)
    assert outcome.type == "command.completed"
    assert (outcome.causation_id, outcome.correlation_id, outcome.dossier_id) == (
        command.id, command.correlation_id, dossier_id)
    assert outcome.data == {"command_id": command.id, "command_type": "staff.accept", "dossier_id": dossier_id,
                            "status": "received", "version": 3}
    await eventually(lambda: processing.published("dossier.received", dossier_id), timeout=5)
    [received] = processing.published("dossier.received", dossier_id)
    assert (received.causation_id, received.correlation_id, received.version) == (
        command.id, command.correlation_id, 3)


async def test_a_redelivered_command_changes_nothing_twice_and_is_answered_once(processing: Harness) -> None:
    dossier_id = await processing.submit(version=2)
    command = await processing.command("accept", dossier_id)
    await processing.bus.publish(command, exchange=COMMANDS)  # the broker delivers it again
    await processing.bus.publish(command, exchange=COMMANDS)
    await settled(processing)
    record = await processing.record(dossier_id)
    assert (record["status"], record["version"], record["applied_commands"]) == ("received", 3, [command.id])
    assert len(processing.published("dossier.received", dossier_id)) == 1
    answers = [event for event in processing.events if event.causation_id == command.id
               and event.type.startswith("command.")]
    assert [answer.type for answer in answers] == ["command.completed"]


@pytest.mark.parametrize(("action", "data", "actor", "code", "reason_mentions"), [
    ("reject", {}, "staff", "validation_error", "reason"),
    ("mark-returned", {"method": "by-pigeon"}, "staff", "validation_error", "method"),
    ("issue-result", {"summary": "Kết quả", "document": {"filename": "a.pdf", "content_base64": "%%%"}},
     "staff", "validation_error", "document.content_base64"),
    ("accept", {}, "citizen", "not_staff", "cán bộ"),
    ("start-processing", {}, "staff", "transition_not_allowed", "submitted"),
])
async def test_a_command_that_cannot_be_applied_is_rejected_with_a_reason(
    processing: Harness, action: str, data: dict[str, object], actor: Literal["staff", "citizen"], code: str,
    reason_mentions: str,
) -> None:
    dossier_id = await processing.submit(version=2)
    before = await processing.record(dossier_id)
    command = await processing.command(action, dossier_id, data, actor=Actor(kind=actor, id="someone"))
    outcome = await processing.outcome_of(command)
    assert outcome.type == "command.rejected"
    assert (outcome.data["code"], outcome.data["command_id"], outcome.causation_id) == (code, command.id, command.id)
    assert reason_mentions in outcome.data["reason"]
    assert outcome.correlation_id == command.correlation_id
    assert await processing.record(dossier_id) == before


async def test_processing_is_bound_to_its_own_actions_only(processing: Harness) -> None:
    """`staff.confirm-payment` is payment's (it holds payment_requested); an unknown action is nobody's."""
    dossier_id = await processing.submit(version=2)
    before = await processing.record(dossier_id)
    others = [await processing.command("confirm-payment", dossier_id, {"method": "at_office", "receipt_number": "1"}),
              await processing.command("bogus-approve", dossier_id)]
    await settled(processing)  # its marker, sent last, is answered: anything bound before it was handled
    assert [event for event in processing.events if event.causation_id in {other.id for other in others}] == []
    assert await processing.record(dossier_id) == before


async def test_a_command_without_a_dossier_or_for_an_unknown_one_is_rejected(processing: Harness) -> None:
    without = await processing.command("accept", None)
    assert (await processing.outcome_of(without)).data["code"] == "missing_dossier_id"
    unknown = await processing.command("accept", "d-nobody")
    assert (await processing.outcome_of(unknown)).data["code"] == "dossier_not_found"


async def test_a_redelivered_rejected_command_is_answered_once(processing: Harness) -> None:
    dossier_id = await processing.submit(version=2)
    command = await processing.command("reject", dossier_id, {})
    await processing.bus.publish(command, exchange=COMMANDS)
    await settled(processing)
    answers = [event for event in processing.events if event.causation_id == command.id]
    assert [answer.type for answer in answers] == ["command.rejected"]
    assert await processing.store.memory.db["command_outcomes"].count_documents({"_id": command.id}) == 1


async def test_a_result_document_sent_in_a_command_is_stored_and_only_referred_to(processing: Harness) -> None:
    dossier_id = await processing.submit(version=2)
    for action in ("accept", "start-processing"):
        await processing.outcome_of(await processing.command(action, dossier_id))
    pdf = b"%PDF-1.7\n% giay phep\n%%EOF"
    command = await processing.command("issue-result", dossier_id, {"summary": "Cấp giấy phép", "document": {
        "filename": "giấy phép.pdf", "content_base64": base64.b64encode(pdf).decode()}})
    assert (await processing.outcome_of(command)).data["status"] == "result_ready"
    await eventually(lambda: processing.published("dossier.result_issued", dossier_id), timeout=5)
    [issued] = processing.published("dossier.result_issued", dossier_id)
    document = issued.data["document"]
    assert (document["filename"], document["size_bytes"]) == ("giấy phép.pdf", len(pdf))
    assert "content_base64" not in str(issued.data) and "PDF" not in Envelope.model_dump_json(issued)
    # Decoded and stored as one chunk: the message held it whole already.
    assert await processing.blob(document["id"]) == pdf
    assert processing.chunks_received(document["id"]) == [len(pdf)]

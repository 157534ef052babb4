"""Processing hands a dossier back: intake takes it at the event's version, in the status the event says."""

import pytest
from structlog.testing import capture_logs

from services.intake.tests.harness import READY_VERSION, SENT_VERSION, Harness, hand_back_event
from shared.messages import Envelope
from shared.messaging.port import PermanentFailure
from tests.support.waiting import eventually

# Processing's versions when it hands the dossier back: a withdrawal (one change after intake sent it), and a
# supplement request after reception and more.
WITHDRAWN = SENT_VERSION + 1
ASKED = SENT_VERSION + 3


async def test_a_withdrawn_dossier_comes_back_a_draft_at_the_events_version(intake: Harness) -> None:
    dossier_id = await intake.submitted()
    record = await intake.hand_back("withdrawn", dossier_id, WITHDRAWN)
    assert (record["status"], record["version"]) == ("draft", WITHDRAWN)
    assert (await intake.edit(dossier_id, {"title": "Sửa sau khi rút"}, WITHDRAWN)).status_code == 200
    assert (await intake.delete(dossier_id, expected_version=WITHDRAWN + 1)).status_code == 200


async def test_a_supplement_request_comes_back_supplement_requested_not_a_draft(intake: Harness) -> None:
    dossier_id = await intake.submitted()
    record = await intake.hand_back("supplement_requested", dossier_id, ASKED)
    assert (record["status"], record["version"]) == ("supplement_requested", ASKED)
    edited = await intake.edit(dossier_id, {"title": "Đã bổ sung"}, ASKED)
    assert edited.json()["status"] == "supplement_requested"
    # Not a draft: it may be completed and sent again, never deleted.
    assert (await intake.delete(dossier_id)).json()["error"]["code"] == "dossier_not_deletable"


async def test_taking_a_dossier_back_publishes_nothing(intake: Harness) -> None:
    dossier_id = await intake.submitted()
    await intake.hand_back("supplement_requested", dossier_id, ASKED)
    assert (await intake.edit(dossier_id, {"title": "Tiếp"}, ASKED)).status_code == 200
    # Events leave in the order they were stored: once the edit's is out, the take-back's would have been.
    await eventually(lambda: intake.published("dossier.draft_updated", dossier_id), timeout=5)
    assert [(event.type, event.version) for event in intake.published(dossier_id=dossier_id)] == [
        ("dossier.draft_created", 1),
        *[("dossier.document_attached", version) for version in range(2, READY_VERSION + 1)],
        ("dossier.submitted", SENT_VERSION), ("dossier.draft_updated", ASKED + 1)]


async def test_a_duplicate_or_older_hand_back_changes_nothing(intake: Harness) -> None:
    dossier_id = await intake.submitted()
    taken = await intake.hand_back("supplement_requested", dossier_id, ASKED)
    await intake.deliver(hand_back_event("supplement_requested", dossier_id, ASKED))
    await intake.deliver(hand_back_event("withdrawn", dossier_id, WITHDRAWN))
    assert await intake.record(dossier_id) == taken
    assert (await intake.edit(dossier_id, {"title": "Bổ sung"}, ASKED)).status_code == 200
    # Delivered again after the citizen's edit: still nothing, and the edit stays.
    await intake.deliver(hand_back_event("supplement_requested", dossier_id, ASKED))
    record = await intake.record(dossier_id)
    assert record is not None
    assert (record["status"], record["version"], record["content"]["title"]) == (
        "supplement_requested", ASKED + 1, "Bổ sung")


@pytest.mark.parametrize("event", [
    hand_back_event("supplement_requested", "d-1", None),
    hand_back_event("withdrawn", None, 3),
    hand_back_event("supplement_requested", "d-1", 5, reason=""),
    hand_back_event("withdrawn", "d-1", 3, to_status="not-a-status"),
], ids=["no version", "no dossier id", "empty reason", "unknown status"])
async def test_a_hand_back_without_its_dossier_version_or_valid_data_fails_for_good(
    intake: Harness, event: Envelope,
) -> None:
    with pytest.raises(PermanentFailure):
        await intake.deliver(event)


async def test_an_unknown_dossier_or_a_hand_back_out_of_turn_fails_for_good(intake: Harness) -> None:
    draft_id = await intake.create()
    sent_id = await intake.submitted()
    for event in (hand_back_event("withdrawn", "d-unknown", 3),
                  hand_back_event("supplement_requested", draft_id, 4),  # intake holds it: nobody could send it
                  hand_back_event("withdrawn", sent_id, WITHDRAWN, to_status="received")):  # not a status intake holds
        with pytest.raises(PermanentFailure):
            await intake.deliver(event)
    record = await intake.record(sent_id)
    assert record is not None and (record["status"], record["version"]) == ("submitted", SENT_VERSION)


async def test_on_the_bus_what_can_never_be_taken_back_is_dead_lettered_at_once(intake: Harness) -> None:
    dossier_id = await intake.submitted()
    with capture_logs() as logs:
        await intake.bus.publish(hand_back_event("supplement_requested", dossier_id, None))
        await intake.bus.publish(Envelope(type="dossier.withdrawn", producer="processing", dossier_id=dossier_id,
                                          version=WITHDRAWN, data={"to_status": 42}))
        dead = await intake.dead_letters(at_least=2)
    assert {(event.type, event.version) for event in dead} == {
        ("dossier.supplement_requested", None), ("dossier.withdrawn", WITHDRAWN)}
    # Without the retries a passing failure gets.
    assert [entry["attempt"] for entry in logs if entry["event"] == "bus.message_dead_lettered"] == [1, 1]
    # The queue goes on: the next hand-back is taken.
    assert (await intake.hand_back("withdrawn", dossier_id, WITHDRAWN))["status"] == "draft"

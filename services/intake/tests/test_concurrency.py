"""Commands racing for one dossier end in one outcome, the one a citizen can make sense of.

The store lets other tasks run around every call (tests/support/interleaving.py), so commands started
together really read the same version and meet at the write; each test checks that they did.
"""

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

import httpx
from structlog.testing import capture_logs

from services.intake.tests.harness import (
    READY_VERSION,
    REQUIRED,
    SENT_VERSION,
    Harness,
    hand_back_event,
    start_intake_service,
    stop_intake_service,
)
from tests.support.waiting import eventually

ROUNDS = 20
# The version of processing's supplement request: a few changes after intake sent the dossier.
HANDED_BACK = SENT_VERSION + 3


def met_at_the_write(logs: Sequence[Mapping[str, Any]]) -> bool:
    return any(entry["event"] == "dossier_changed_meanwhile" for entry in logs)


async def test_two_tabs_saving_the_same_draft_keep_the_first_and_tell_the_second(intake: Harness) -> None:
    with capture_logs() as logs:
        for _ in range(ROUNDS):
            dossier_id = await intake.create()
            answers = await asyncio.gather(intake.edit(dossier_id, {"title": "Tab một"}, 1),
                                           intake.edit(dossier_id, {"title": "Tab hai"}, 1))
            assert sorted(answer.status_code for answer in answers) == [200, 412], [a.text for a in answers]
            [loser] = [answer for answer in answers if answer.status_code == 412]
            assert loser.json()["error"]["code"] == "stale_version"
            [winner] = [title for title, answer in zip(("Tab một", "Tab hai"), answers, strict=True)
                        if answer.status_code == 200]
            record = await intake.record(dossier_id)
            # The second tab's content was decided on version 1: it never overwrites the first's.
            assert record is not None and (record["version"], record["content"]["title"]) == (2, winner)
    assert met_at_the_write(logs)
    await eventually(lambda: len(intake.published("dossier.draft_updated")) == ROUNDS, timeout=5)
    assert {event.version for event in intake.published("dossier.draft_updated")} == {2}


async def test_a_delete_racing_a_submit_ends_in_one_of_them_and_the_other_is_refused(intake: Harness) -> None:
    outcomes = set()
    deleted_rounds = 0
    with capture_logs() as logs:
        for round_number in range(ROUNDS):
            dossier_id = await intake.ready()
            order = ["delete", "submit"] if round_number % 2 else ["submit", "delete"]
            racers = {"delete": intake.delete(dossier_id), "submit": intake.submit(dossier_id)}
            answers = dict(zip(order, await asyncio.gather(*(racers[name] for name in order)), strict=True))
            deleted, submitted = answers["delete"], answers["submit"]
            record = await intake.record(dossier_id)
            if submitted.status_code == 200:
                # The delete was decided again on the submitted dossier, and that one may not be deleted.
                assert deleted.json()["error"]["code"] == "dossier_not_deletable"
                assert record is not None and (record["status"], record["version"]) == ("submitted", SENT_VERSION)
                outcomes.add("submitted")
            else:
                assert deleted.status_code == 200
                # The submit was decided again and found nothing to send.
                assert submitted.json()["error"]["code"] == "dossier_not_found"
                assert record is None or (record["deleted"], record["version"]) == (True, SENT_VERSION)
                outcomes.add("deleted")
                deleted_rounds += 1
    assert met_at_the_write(logs)
    assert outcomes == {"submitted", "deleted"}
    # The deleted drafts' files went with them; the sent dossiers' files stay.
    assert len(await intake.blobs.ids()) == len(REQUIRED) * (ROUNDS - deleted_rounds)

    def one_outcome_each() -> bool:
        return len(intake.published("dossier.submitted")) + len(intake.published("dossier.draft_deleted")) == ROUNDS

    await eventually(one_outcome_each, timeout=5, what="one submitted or deleted event per dossier")
    assert {event.version for event in intake.published("dossier.submitted")
            + intake.published("dossier.draft_deleted")} == {SENT_VERSION}


async def test_a_submit_racing_an_edit_sends_what_is_stored_when_it_wins_or_after(intake: Harness) -> None:
    with capture_logs() as logs:
        for _ in range(ROUNDS):
            dossier_id = await intake.ready()
            edited, sent = await asyncio.gather(intake.edit(dossier_id, {"title": "Sửa phút chót"}, READY_VERSION),
                                                intake.submit(dossier_id))
            assert sent.status_code == 200
            version_sent = sent.json()["version"]
            if edited.status_code == 200:
                assert version_sent == SENT_VERSION + 1  # the submit met the edit and sent the edited dossier
            else:
                assert (edited.json()["error"]["code"], version_sent) == ("dossier_not_editable", SENT_VERSION)
    assert met_at_the_write(logs)
    await eventually(lambda: len(intake.published("dossier.submitted")) == ROUNDS, timeout=5)
    for event in intake.published("dossier.submitted"):
        assert (event.data["content"]["title"] == "Sửa phút chót") == (event.version == SENT_VERSION + 1)


async def test_an_edit_racing_the_supplement_hand_back_waits_for_it_and_is_kept(intake: Harness) -> None:
    dossier_id = await intake.submitted()
    event = hand_back_event("supplement_requested", dossier_id, HANDED_BACK)

    with capture_logs() as logs:
        # The citizen's edit arrives first, its If-Match read from the read model, and waits.
        editing = asyncio.ensure_future(intake.edit(dossier_id, {"title": "Đã bổ sung"}, HANDED_BACK))
        await eventually(lambda: any(entry["event"] == "waiting_for_hand_back" for entry in logs), timeout=5)
        assert not editing.done()
        # Two deliveries at once (two replicas, or a redelivery): one takes it back, the other meets it.
        await asyncio.gather(intake.deliver(event), intake.deliver(event))
        edited = await editing
    assert edited.json() == {"id": dossier_id, "status": "supplement_requested", "version": HANDED_BACK + 1}
    record = await intake.record(dossier_id)
    assert record is not None
    assert (record["status"], record["version"], record["content"]["title"]) == (
        "supplement_requested", HANDED_BACK + 1, "Đã bổ sung")
    assert met_at_the_write(logs)
    # A late copy of the hand-back, decided on the dossier as it is now, never undoes the edit.
    await intake.deliver(event)
    assert await intake.record(dossier_id) == record


async def test_an_edit_ahead_of_a_hand_back_that_never_comes_is_busy_not_refused() -> None:
    intake = await start_intake_service(hand_back_wait_seconds=0.2)
    try:
        dossier_id = await intake.submitted()
        answer: httpx.Response = await intake.edit(dossier_id, {"title": "Quá sớm"}, HANDED_BACK)
        assert (answer.status_code, answer.json()["error"]["code"]) == (409, "dossier_busy")
        record = await intake.record(dossier_id)
        assert record is not None and (record["status"], record["version"]) == ("submitted", SENT_VERSION)
        # A version the citizen saw before they sent it is a refusal for good, at once.
        sent = await intake.edit(dossier_id, {"title": "Muộn"}, SENT_VERSION)
        assert sent.json()["error"]["code"] == "dossier_not_editable"
    finally:
        await stop_intake_service(intake)

"""Decisions racing for one dossier end in one outcome; replicas sharing a store share one code counter, and
an accept decided again after a conflict spends one lookup code."""

import asyncio
from datetime import date

import httpx
import pytest
from structlog.testing import capture_logs

from services.processing.adapters.lookup_codes import LookupCodeCounter
from services.processing.tests.harness import OWNER, Harness, start_processing_service, stop_processing_service
from tests.support.waiting import eventually

ROUNDS = 40


async def withdraw(processing: Harness, dossier_id: str) -> httpx.Response:
    return await processing.client.post(f"/dossiers/{dossier_id}/withdraw", json={"owner_id": OWNER})


async def test_withdraw_and_accept_at_the_same_moment_end_in_exactly_one_outcome(processing: Harness) -> None:
    winners = []
    with capture_logs() as logs:
        for round_number in range(ROUNDS):
            dossier_id = await processing.submit()
            racers = [withdraw(processing, dossier_id), processing.act(dossier_id, "accept")]
            if round_number % 2:
                racers.reverse()
            answers = {answer.request.url.path.rsplit("/", 1)[-1]: answer for answer in await asyncio.gather(*racers)}
            assert sorted(answer.status_code for answer in answers.values()) == [200, 409], answers
            winner = next(name for name, answer in answers.items() if answer.status_code == 200)
            loser = answers["accept" if winner == "withdraw" else "withdraw"]
            assert loser.json()["error"]["code"] in ("transition_not_allowed", "dossier_already_received")
            record = await processing.record(dossier_id)
            assert (record["status"], record["version"]) == ({"withdraw": "draft", "accept": "received"}[winner], 3)
            assert (record["lookup_code"] is None) == (winner == "withdraw")
            winners.append((dossier_id, winner))

    # The race was real: some decisions were taken on a version the other had already replaced.
    assert any(entry["event"] == "dossier_changed_meanwhile" for entry in logs)

    def one_status_change_each() -> bool:
        return all(len(processing.published("dossier.withdrawn", dossier_id))
                   + len(processing.published("dossier.received", dossier_id)) == 1 for dossier_id, _ in winners)

    await eventually(one_status_change_each, timeout=5, what="exactly one status change per dossier")
    for dossier_id, winner in winners:
        [event] = processing.published({"withdraw": "dossier.withdrawn", "accept": "dossier.received"}[winner],
                                       dossier_id)
        assert event.version == 3


async def test_replicas_sharing_one_store_never_hand_out_the_same_lookup_code(processing: Harness) -> None:
    replica = await start_processing_service(bus=processing.bus, memory=processing.store.memory)
    try:
        dossier_ids = [await processing.submit() for _ in range(30)]
        doors = [processing, replica]
        answers = await asyncio.gather(*(doors[n % 2].act(dossier_id, "accept")
                                         for n, dossier_id in enumerate(dossier_ids)))
        assert {answer.status_code for answer in answers} == {200}
        codes = {(await processing.record(dossier_id))["lookup_code"] for dossier_id in dossier_ids}
        assert codes == {f"000.00.17.H00-260303-{seq:04d}" for seq in range(1, 31)}
    finally:
        await stop_processing_service(replica)


async def test_a_conflict_while_accepting_draws_one_lookup_code_only(monkeypatch: pytest.MonkeyPatch) -> None:
    draw = LookupCodeCounter.next_code
    drawn: list[str] = []

    async def draw_while_another_writer_changes_the_dossier(counter: LookupCodeCounter, day: date) -> str:
        code = await draw(counter, day)
        drawn.append(code)
        if len(drawn) == 1:
            # Someone else's write lands between this decision and its own: the accept must decide again.
            await processing.store.memory.db["dossiers"].update_one({"_id": dossier_id}, {"$inc": {"version": 1}})
        return code

    monkeypatch.setattr(LookupCodeCounter, "next_code", draw_while_another_writer_changes_the_dossier)
    processing = await start_processing_service()
    try:
        dossier_id = await processing.submit(version=2)
        with capture_logs() as logs:
            answer = await processing.act(dossier_id, "accept")
        assert answer.status_code == 200, answer.text
        assert any(entry["event"] == "dossier_changed_meanwhile" for entry in logs)
        assert drawn == ["000.00.17.H00-260303-0001"]
        record = await processing.record(dossier_id)
        assert (record["lookup_code"], record["version"]) == (drawn[0], 4)
    finally:
        await stop_processing_service(processing)


async def test_a_lookup_code_another_dossier_has_is_drawn_again(processing: Harness) -> None:
    first = await processing.submit()
    assert (await processing.act(first, "accept")).status_code == 200
    # The counter restored from an old backup: it hands out the first number of the day again.
    await processing.store.memory.db["counters"].update_many({}, {"$set": {"seq": 0}})
    second = await processing.submit()
    answer = await processing.act(second, "accept")
    assert answer.status_code == 200, answer.text
    assert (await processing.record(second))["lookup_code"] == "000.00.17.H00-260303-0002"

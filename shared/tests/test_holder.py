"""The holder kit on a hand-written in-memory repository: the write path's retries and its once-only
commands, the owner's door, and the shape of a hand-over reaction; and its document writes on the store."""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import pytest

from shared.errors import DossierNotFound, TransitionNotAllowed
from shared.holder.command_keys import ANSWERS_KEPT, KeptAnswer
from shared.holder.documents import APPLIED_COMMANDS_KEPT, insert_held, update_held
from shared.holder.errors import DossierBusy, VersionConflict
from shared.holder.hand_over import take_hand_over
from shared.holder.staff_commands import StaffCommand
from shared.holder.write import MAX_ATTEMPTS, Change, write_change
from shared.lifecycle import DueDateChanged, ProcessingStarted
from shared.messages import Actor, Envelope
from shared.messaging.port import PermanentFailure
from shared.statuses import Status
from shared.store.memory import MemoryStore

STAFF = Actor(kind="staff", id="clerk-7")
COMMAND = StaffCommand(id="cmd-1", type="staff.start-processing", correlation_id="corr-1", actor=STAFF)


@dataclass(frozen=True)
class Record:
    id: str
    owner_id: str
    status: Status
    version: int
    applied_commands: tuple[str, ...] = ()
    command_answers: tuple[KeptAnswer, ...] = ()

    @property
    def revision(self) -> int:
        return self.version


@dataclass
class FakeRecords:
    """One record per dossier in a dict; `conflicts` next saves fail as if someone else wrote first."""

    records: dict[str, Record] = field(default_factory=dict)
    conflicts: int = 0
    saved: list[tuple[Record, list[Envelope]]] = field(default_factory=list)
    record_name: str = "dossier"

    async def get(self, dossier_id: str) -> Record | None:
        return self.records.get(dossier_id)

    async def save(self, record: Record, previous_revision: int, events: Sequence[Envelope],
                   command_id: str | None = None, answered: KeptAnswer | None = None) -> None:
        if self.conflicts:
            self.conflicts -= 1
            raise VersionConflict(record.id)
        assert self.records[record.id].revision == previous_revision
        if command_id is not None:
            record = replace(record, applied_commands=(*record.applied_commands, command_id))
        if answered is not None:
            record = replace(record, command_answers=(*record.command_answers, answered))
        self.records[record.id] = record
        self.saved.append((record, list(events)))


def held(status: Status = Status.RECEIVED, version: int = 3) -> FakeRecords:
    return FakeRecords({"d-1": Record("d-1", "citizen-1", status, version)})


async def start(record: Record) -> Change[Record]:
    if record.status is not Status.RECEIVED:
        raise TransitionNotAllowed(record.status, Status.PROCESSING)
    started = replace(record, status=Status.PROCESSING, version=record.version + 1)
    return Change(started, [ProcessingStarted(from_status=record.status)])


async def test_a_decision_is_stored_with_its_event_at_the_new_version() -> None:
    records = held()
    woken: list[bool] = []
    written = await write_change(records, "d-1", start, producer="processing", actor=STAFF,
                                 published=lambda: woken.append(True))
    assert written.changed and written.record.version == 4 and woken == [True]
    [(_, [event])] = records.saved
    assert (event.type, event.version, event.producer, event.dossier_id) == ("dossier.processing_started", 4,
                                                                             "processing", "d-1")


async def test_a_conflict_is_decided_again_on_the_record_as_it_is_now() -> None:
    records = held()
    records.conflicts = MAX_ATTEMPTS - 1
    decided: list[int] = []

    async def decide(record: Record) -> Change[Record]:
        decided.append(record.version)
        return await start(record)

    written = await write_change(records, "d-1", decide, producer="processing", actor=STAFF)
    assert written.changed and len(decided) == MAX_ATTEMPTS and len(records.saved) == 1


async def test_a_dossier_that_keeps_changing_is_busy_after_the_last_attempt() -> None:
    records = held()
    records.conflicts = MAX_ATTEMPTS
    with pytest.raises(DossierBusy):
        await write_change(records, "d-1", start, producer="processing", actor=STAFF)
    assert records.saved == []


async def test_nothing_to_do_stores_nothing() -> None:
    async def nothing(record: Record) -> None:
        return None

    records = held()
    written = await write_change(records, "d-1", nothing, producer="processing", actor=STAFF)
    assert not written.changed and written.record == records.records["d-1"] and records.saved == []


async def test_a_command_is_answered_in_its_write_and_applied_once() -> None:
    records = held()
    first = await write_change(records, "d-1", start, producer="processing", actor=STAFF, command=COMMAND)
    [(stored, [event, answer])] = records.saved
    assert stored.applied_commands == ("cmd-1",) and event.causation_id == "cmd-1"
    assert (answer.type, answer.causation_id, answer.correlation_id) == ("command.completed", "cmd-1", "corr-1")
    assert (answer.data["status"], answer.data["version"]) == ("processing", 4)

    again = await write_change(records, "d-1", start, producer="processing", actor=STAFF, command=COMMAND)
    assert first.changed and not again.changed and again.record.version == 4 and len(records.saved) == 1


async def test_a_command_sent_again_under_its_key_answers_its_first_outcome_and_changes_nothing() -> None:
    records = held()
    first = await write_change(records, "d-1", start, producer="processing", actor=STAFF, command_key="k-1")
    [(stored, [_event])] = records.saved
    assert stored.command_answers == (KeptAnswer("k-1", {"id": "d-1", "status": "processing", "version": 4}),)
    # Moved on meanwhile by another command: the repeat still answers what the first call did.
    records.records["d-1"] = replace(stored, status=Status.PAYMENT_REQUESTED, version=5)
    again = await write_change(records, "d-1", start, producer="processing", actor=STAFF, command_key="k-1")
    assert first.changed and not again.changed and len(records.saved) == 1
    assert (first.result().version, again.result().status, again.result().version) == (4, "processing", 4)
    # Another key is another command: decided on the dossier as it is (and refused here).
    with pytest.raises(TransitionNotAllowed):
        await write_change(records, "d-1", start, producer="processing", actor=STAFF, command_key="k-2")


async def test_a_key_that_lost_the_race_meets_the_winners_answer() -> None:
    records = held()
    records.conflicts = 1

    async def decide_and_let_the_twin_win(record: Record) -> Change[Record]:
        if not records.conflicts:
            return await start(record)
        records.records["d-1"] = replace(record, status=Status.PROCESSING, version=4, command_answers=(
            KeptAnswer("k-1", {"id": "d-1", "status": "processing", "version": 4}),))
        return await start(record)

    written = await write_change(records, "d-1", decide_and_let_the_twin_win, producer="processing", actor=STAFF,
                                 command_key="k-1")
    assert not written.changed and written.result().version == 4 and records.saved == []


async def test_a_citizen_finds_only_their_own_dossier() -> None:
    records = held()
    with pytest.raises(DossierNotFound):
        await write_change(records, "d-1", start, producer="processing", actor=STAFF, owner_id="someone-else")
    with pytest.raises(DossierNotFound):
        await write_change(records, "d-404", start, producer="processing", actor=STAFF)
    mine = await write_change(records, "d-1", start, producer="processing", actor=STAFF, owner_id="citizen-1")
    assert mine.changed


# A small payload of processing's stands in for a hand-over.
Handed = DueDateChanged


def hand_over(version: int | None = 5, data: dict[str, object] | None = None, producer: str = "processing",
              type_: str = "dossier.due_date_changed") -> Envelope:
    return Envelope(type=type_, producer=producer, dossier_id="d-1", version=version,
                    actor=STAFF, data={"due_date": "2026-03-10"} if data is None else data)


async def test_a_hand_over_takes_the_dossier_at_the_events_version() -> None:
    taken: list[tuple[str, int, str]] = []

    async def take(dossier_id: str, version: int, handed: Handed) -> None:
        taken.append((dossier_id, version, handed.due_date.isoformat()))

    await take_hand_over(hand_over(), Handed, take)
    assert taken == [("d-1", 5, "2026-03-10")]


async def test_a_hand_over_that_can_never_be_taken_is_a_permanent_failure() -> None:
    async def take(dossier_id: str, version: int, handed: Handed) -> None:
        raise TransitionNotAllowed(Status.PROCESSING, Status.PAID)  # out of turn: the sender did not hold it

    async def never(dossier_id: str, version: int, handed: Handed) -> None:
        raise AssertionError("taken although unreadable")

    for unreadable in (hand_over(version=None), hand_over(data={"due_date": "soon"}), hand_over(producer="intake"),
                       hand_over(type_="dossier.frobnicated")):
        with pytest.raises(PermanentFailure):
            await take_hand_over(unreadable, Handed, never)
    with pytest.raises(PermanentFailure, match="transition_not_allowed"):
        await take_hand_over(hand_over(), Handed, take)


async def test_a_hand_over_is_taken_again_after_a_conflict_and_busy_at_the_end() -> None:
    attempts: list[int] = []

    async def conflicting(times: int) -> None:
        async def take(dossier_id: str, version: int, handed: Handed) -> None:
            attempts.append(version)
            if len(attempts) <= times:
                raise VersionConflict(dossier_id)

        await take_hand_over(hand_over(), Handed, take)

    await conflicting(times=2)
    assert len(attempts) == 3
    attempts.clear()
    with pytest.raises(DossierBusy):
        await conflicting(times=MAX_ATTEMPTS)
    assert len(attempts) == MAX_ATTEMPTS


async def test_a_document_is_written_only_at_the_revision_it_was_read_at() -> None:
    collection = MemoryStore("hoso_holder_test").db["records"]
    answer = Envelope(type="command.completed", producer="processing", actor=STAFF, data={})
    await insert_held(collection, "d-1", {"revision": 1}, [answer])
    with pytest.raises(VersionConflict):
        await insert_held(collection, "d-1", {"revision": 1}, [])
    for revision in range(1, APPLIED_COMMANDS_KEPT + 3):
        await update_held(collection, "d-1", {"revision": revision}, {"revision": revision + 1}, [answer],
                          f"cmd-{revision}")
    with pytest.raises(VersionConflict):
        await update_held(collection, "d-1", {"revision": 1}, {"revision": 2}, [], None)
    stored = await collection.find_one({"_id": "d-1"})
    assert stored is not None and stored["revision"] == APPLIED_COMMANDS_KEPT + 3
    assert len(stored["outbox"]) == APPLIED_COMMANDS_KEPT + 3
    assert stored["applied_commands"][0] == "cmd-3" and len(stored["applied_commands"]) == APPLIED_COMMANDS_KEPT


async def test_a_keys_answer_is_kept_in_the_write_of_its_change_the_oldest_falling_off() -> None:
    collection = MemoryStore("hoso_holder_test").db["records"]
    await insert_held(collection, "d-1", {"revision": 1}, [])
    for revision in range(1, ANSWERS_KEPT + 3):
        await update_held(collection, "d-1", {"revision": revision}, {"revision": revision + 1}, [], None,
                          KeptAnswer(f"k-{revision}", {"version": revision + 1}))
    with pytest.raises(VersionConflict):
        await update_held(collection, "d-1", {"revision": 1}, {"revision": 2}, [], None, KeptAnswer("k-x", {}))
    stored = await collection.find_one({"_id": "d-1"})
    assert stored is not None and len(stored["command_answers"]) == ANSWERS_KEPT
    assert stored["command_answers"][0] == {"key": "k-3", "answer": {"version": 4}}
    assert all(kept["key"] != "k-x" for kept in stored["command_answers"])

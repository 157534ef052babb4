"""Applying events to the read model on every store engine: order, duplicates, gaps, races, waits, rebuild."""

import asyncio
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest

from services.query.adapters.notifier import AppliedNotifier
from services.query.adapters.read_model import ReadModelRepository
from services.query.bootstrap import procedure_documents, procedure_names
from services.query.dependencies import Query
from services.query.domain.countdown import Countdown
from services.query.reactions import when_dossier_event_update_read_model
from services.query.settings import QuerySettings
from shared.messages import Envelope
from shared.messaging.port import PermanentFailure
from shared.procedures import load_catalog
from shared.store.memory import MemoryStore
from shared.store.port import DocumentStore
from shared.versions import wait_for_version
from shared.working_calendar import load_calendar
from tests.contract.read_model.events import CLERK, OWNER, T0, VIETNAM, apply_all, life, staff, started
from tests.support.contents import KnownContents

RECEIVED = ("dossier.received", {
    "from_status": "submitted", "to_status": "received", "lookup_code": "H35.22-250303-0001",
    "received_at": "2025-03-03T04:30:00+00:00", "due_date": "2025-04-01", "processing_days": 20,
    "owner_id": OWNER})


async def fold_in_order(events: list[Envelope]) -> dict[str, Any]:
    """The document the events make applied one after the other, on a store of its own."""
    store = MemoryStore(f"in_order_{uuid4().hex[:8]}")
    repository = ReadModelRepository(store.db, procedure_names(load_catalog()), VIETNAM)
    for each in events:
        assert await repository.apply(each)
    document = await repository.get(events[0].dossier_id or "", OWNER)
    assert document is not None
    return document


def reading(repo: ReadModelRepository, notifier: AppliedNotifier | None = None) -> Query:
    """The query service's dependencies around `repo`, for calling its reaction directly."""
    return Query(read_model=repo, notifier=notifier or AppliedNotifier(), notifications=None,  # type: ignore[arg-type]
                 slips=None,  # type: ignore[arg-type]
                 settings=QuerySettings(), zone=VIETNAM, procedure_documents=procedure_documents(load_catalog()),
                 countdown=Countdown(load_calendar(), due_soon_working_days=2),
                 ratings=None, received=None, contents=KnownContents())  # type: ignore[arg-type]


async def test_events_apply_in_order(repo: ReadModelRepository) -> None:
    events = life("d1", "Giấy phép hành nghề")
    assert [await repo.apply(each) for each in events] == [True, True, True]
    document = await repo.get("d1", OWNER)
    assert document is not None
    assert (document["version"], document["status"]) == (3, "submitted")
    assert [(entry["from"], entry["to"]) for entry in document["history"]] == [
        (None, "draft"), ("draft", "submitted")]
    assert await repo.current_version("d1") == 3


async def test_a_duplicate_is_dropped(repo: ReadModelRepository) -> None:
    events = life("d1", "Giấy phép hành nghề", submit=False)
    await apply_all(repo, events)
    before = await repo.get("d1", OWNER)
    assert await repo.apply(events[1]) is False
    assert await repo.apply(events[0]) is False
    assert await repo.get("d1", OWNER) == before


async def test_an_early_event_is_kept_and_applied_when_the_gap_closes(repo: ReadModelRepository) -> None:
    first, second, third = life("d1", "Giấy phép hành nghề")
    await repo.apply(first)
    assert await repo.apply(third) is False  # kept: no retry is needed, nor used up
    assert await repo.current_version("d1") == 1
    assert await repo.apply(second) is True
    assert await repo.current_version("d1") == 3  # the kept third followed the second
    assert await repo.apply(third) is False  # a redelivery of it changes nothing
    assert await repo.unclosed_gaps(T0 + timedelta(days=3650)) == []


async def test_a_whole_history_delivered_in_reverse_ends_at_its_last_version(repo: ReadModelRepository) -> None:
    events = life("d1", "Giấy phép hành nghề")
    assert [await repo.apply(each) for each in reversed(events)] == [False, False, True]
    in_order = await fold_in_order(events)
    assert await repo.get("d1", OWNER) == in_order


async def test_a_gap_that_stays_open_is_listed(repo: ReadModelRepository) -> None:
    first, _, third = life("d1", "X")
    await repo.apply(first)
    await repo.apply(third)
    [gap] = await repo.unclosed_gaps(T0 + timedelta(days=3650))
    assert (gap.dossier_id, gap.stored_version, gap.highest_kept) == ("d1", 1, 3)


async def test_a_first_event_beyond_version_1_is_kept(repo: ReadModelRepository) -> None:
    assert await repo.apply(life("d1", "X")[1]) is False
    assert await repo.current_version("d1") is None


async def test_two_replicas_racing_apply_an_event_once(store: DocumentStore,
                                                       repo: ReadModelRepository) -> None:
    other = ReadModelRepository(store.db, procedure_names(load_catalog()), VIETNAM)
    first, second, _ = life("d1", "X")
    assert sorted(await asyncio.gather(repo.apply(first), other.apply(first))) == [False, True]
    assert sorted(await asyncio.gather(repo.apply(second), other.apply(second))) == [False, True]
    document = await repo.get("d1", OWNER)
    assert document is not None and document["version"] == 2 and len(document["history"]) == 1


# --- read-your-writes --------------------------------------------------------------------------------


async def test_wait_returns_once_the_version_is_applied(repo: ReadModelRepository) -> None:
    notifier = AppliedNotifier()
    first, second, _ = life("d1", "X")
    await when_dossier_event_update_read_model(reading(repo, notifier), first)
    waiting = asyncio.create_task(wait_for_version(repo.current_version, "d1", 2, within=5.0, wakeup=notifier))
    await asyncio.sleep(0)  # let it look once and find version 1 only
    assert not waiting.done()
    await when_dossier_event_update_read_model(reading(repo, notifier), second)
    assert await asyncio.wait_for(waiting, 5.0) == 2


async def test_wait_sees_what_another_replica_applied(store: DocumentStore,
                                                      repo: ReadModelRepository) -> None:
    other_replica = ReadModelRepository(store.db, procedure_names(load_catalog()), VIETNAM)
    waiting = asyncio.create_task(wait_for_version(repo.current_version, "d1", 1, within=5.0, wakeup=AppliedNotifier()))
    await asyncio.sleep(0)
    await other_replica.apply(life("d1", "X")[0])
    assert await asyncio.wait_for(waiting, 5.0) == 1


async def test_wait_gives_up_with_what_it_has(repo: ReadModelRepository) -> None:
    notifier = AppliedNotifier()
    assert await wait_for_version(repo.current_version, "d1", 1, within=0.1, wakeup=notifier) is None
    await repo.apply(life("d1", "X")[0])
    assert await wait_for_version(repo.current_version, "d1", 2, within=0.1, wakeup=notifier) == 1


# --- what cannot be applied --------------------------------------------------------------------------


@pytest.mark.parametrize(("type_", "data", "producer"), [
    ("dossier.teleported", {"to_status": "teleported"}, "processing"),  # an unknown type naming an unknown status
    # The forged event of issue 17: an unknown type saying where the dossier went.
    ("dossier.frobnicated", {"from_status": "submitted", "to_status": "result_returned"}, "processing"),
    ("dossier.received", {"from_status": "submitted", "to_status": "received"}, "processing"),  # no lookup code
    (*RECEIVED, "intake"),  # a reception only processing may write
    ("dossier.received", {**RECEIVED[1], "to_status": "result_returned"}, "processing"),  # not where it goes
])
async def test_an_event_the_read_model_never_applies_is_a_permanent_failure(
        repo: ReadModelRepository, type_: str, data: dict[str, Any], producer: str) -> None:
    events = life("d1", "X")
    await apply_all(repo, events)
    bad = Envelope(type=type_, producer=producer, dossier_id="d1", version=4, actor=CLERK, data=data)
    with pytest.raises(PermanentFailure):
        await when_dossier_event_update_read_model(reading(repo), bad)
    assert await repo.current_version("d1") == 3
    # Nothing of it was kept either: the real event at that version is applied when it comes.
    real = Envelope(type=RECEIVED[0], producer="processing", dossier_id="d1", version=4, actor=CLERK, data=RECEIVED[1])
    await when_dossier_event_update_read_model(reading(repo), real)
    document = await repo.get("d1", OWNER)
    assert document is not None and (document["version"], document["status"]) == (4, "received")


async def test_a_dossier_event_without_a_version_is_refused(repo: ReadModelRepository) -> None:
    outcome = Envelope(type="dossier.received", producer="processing", dossier_id="d1", data=RECEIVED[1])
    with pytest.raises(PermanentFailure):
        await when_dossier_event_update_read_model(reading(repo), outcome)
    assert await repo.current_version("d1") is None


# --- rebuild -----------------------------------------------------------------------------------------


async def test_rebuild_reproduces_the_same_documents(store: DocumentStore,
                                                     portfolio: ReadModelRepository) -> None:
    async def everything() -> list[dict[str, Any]]:
        documents: list[dict[str, Any]] = await store.db["dossiers"].find({}).sort("_id").to_list(None)
        return documents

    before = await everything()
    assert await portfolio.rebuild() == len(before) == 5
    assert await everything() == before
    # And it keeps applying afterwards, from where the replay ended.
    await portfolio.apply(staff(started(), "d1", 5, T0 + timedelta(days=5)))
    assert await portfolio.current_version("d1") == 5

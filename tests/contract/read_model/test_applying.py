"""Applying events to the read model on every store engine: order, duplicates, gaps, races, waits, rebuild."""

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from services.query.adapters.notifier import AppliedNotifier
from services.query.adapters.read_model import ReadModelRepository
from services.query.bootstrap import procedure_documents, procedure_names
from services.query.dependencies import Query
from services.query.domain.ordering import EventOutOfOrder
from services.query.reactions import when_dossier_event_update_read_model
from services.query.settings import QuerySettings
from shared.messages import Envelope
from shared.messaging.port import PermanentFailure
from shared.procedures import load_catalog
from shared.store.port import DocumentStore
from shared.versions import wait_for_version
from tests.contract.read_model.events import CLERK, OWNER, T0, VIETNAM, apply_all, life, staff, started


def reading(repo: ReadModelRepository, notifier: AppliedNotifier | None = None) -> Query:
    """The query service's dependencies around `repo`, for calling its reaction directly."""
    return Query(read_model=repo, notifier=notifier or AppliedNotifier(), notifications=None,  # type: ignore[arg-type]
                 slips=None,  # type: ignore[arg-type]
                 settings=QuerySettings(), zone=VIETNAM, procedure_documents=procedure_documents(load_catalog()))


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


async def test_a_gap_raises_until_the_missing_event_arrives(repo: ReadModelRepository) -> None:
    first, second, third = life("d1", "Giấy phép hành nghề")
    await repo.apply(first)
    with pytest.raises(EventOutOfOrder) as raised:
        await repo.apply(third)
    assert (raised.value.stored_version, raised.value.incoming_version) == (1, 3)
    assert await repo.current_version("d1") == 1
    await repo.apply(second)
    assert await repo.apply(third) is True  # the redelivery
    assert await repo.current_version("d1") == 3


async def test_a_first_event_beyond_version_1_is_a_gap(repo: ReadModelRepository) -> None:
    with pytest.raises(EventOutOfOrder):
        await repo.apply(life("d1", "X")[1])
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


@pytest.mark.parametrize(("type_", "data"), [
    ("dossier.teleported", {"to_status": "teleported"}),  # an unknown type naming an unknown status
    ("dossier.received", {"from_status": "submitted", "to_status": "received"}),  # no lookup code, no dates
])
async def test_an_unreadable_event_is_a_permanent_failure(repo: ReadModelRepository, type_: str,
                                                          data: dict[str, Any]) -> None:
    await repo.apply(life("d1", "X")[0])
    bad = Envelope(type=type_, producer="processing", dossier_id="d1", version=2, actor=CLERK, data=data)
    with pytest.raises(PermanentFailure):
        await when_dossier_event_update_read_model(reading(repo), bad)
    assert await repo.current_version("d1") == 1


async def test_events_without_a_version_are_ignored(repo: ReadModelRepository) -> None:
    outcome = Envelope(type="dossier.command_rejected", producer="processing", dossier_id="d1", data={})
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

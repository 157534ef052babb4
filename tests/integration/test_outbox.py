"""The outbox: a change and its events are stored together; the relay publishes each at least once.

Run on the in-process bus and the in-memory store with intake's real bootstrap and repository.
"""

from datetime import timedelta
from typing import Any

import pytest
from prometheus_client import REGISTRY

from services.intake import handlers
from services.intake.adapters import DossierRepository
from services.intake.bootstrap import document_limits
from services.intake.dependencies import Intake
from services.intake.domain import Owner
from services.intake.settings import IntakeSettings
from shared.blobs.memory import MemoryBlobStore
from shared.messages import DossierContent, Envelope, utc_now
from shared.messaging.memory import InProcessBus
from shared.outbox import (
    OUTBOX,
    OUTBOX_PENDING,
    TOMBSTONE,
    TOMBSTONE_EXPIRES_AT,
    TOMBSTONE_KEPT_UNTIL,
    OutboxRelay,
    ensure_outbox_index,
    outbox_fields,
)
from shared.procedures import load_catalog
from shared.store.memory import MemoryStore
from tests.support.waiting import eventually

OWNER = Owner("citizen-outbox", "outbox@example.vn")
DRAFT = DossierContent.model_validate({
    "procedure_code": "SYT-KCB-01", "title": "Hồ sơ thử outbox", "form": {},
    "applicant": {"full_name": "Phạm Thu Hà", "id_number": "001190000111", "phone": "0911222333",
                  "email": "ha@example.vn", "address": "Hải Phòng"}})


class FlakyBus(InProcessBus):
    """Refuses the first `failures` publishes, as a broker that is away would."""

    def __init__(self, failures: int) -> None:
        super().__init__(namespace="outbox-test")
        self.failures = failures

    async def publish(self, message: Envelope, **kwargs: Any) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("broker away")
        await super().publish(message, **kwargs)


@pytest.fixture()
def received() -> list[Envelope]:
    return []


async def start(bus: InProcessBus, received: list[Envelope]) -> tuple[Intake, OutboxRelay]:
    async def collect(envelope: Envelope) -> None:
        received.append(envelope)

    await bus.consume("spy", ["dossier.#"], collect)
    repository = DossierRepository(MemoryStore("intake").db)
    relay = OutboxRelay(repository.collection, bus, service="outbox-test", poll_seconds=0.05)
    intake = Intake(repository=repository, blobs=MemoryBlobStore(), catalog=load_catalog(),
                    limits=document_limits(IntakeSettings()), published=relay.notify)
    return intake, relay


async def test_the_event_is_stored_with_the_change_and_removed_once_published(received: list[Envelope]) -> None:
    bus = InProcessBus(namespace="outbox-test")
    intake, relay = await start(bus, received)
    created = await handlers.create_draft(intake, OWNER, DRAFT)
    document = await intake.repository.collection.find_one({"_id": created.id})
    assert document is not None
    assert [event["type"] for event in document[OUTBOX]] == ["dossier.draft_created"]
    assert received == []  # nothing leaves before the relay runs

    assert await relay.relay_pending() == 1
    await eventually(lambda: len(received) == 1, timeout=5)
    assert (received[0].dossier_id, received[0].version) == (created.id, 1)
    relayed = await intake.repository.collection.find_one({"_id": created.id})
    assert relayed is not None and relayed[OUTBOX] == []
    await bus.close()


async def test_a_broker_away_delays_events_in_order_and_never_loses_them(received: list[Envelope]) -> None:
    bus = FlakyBus(failures=3)
    intake, relay = await start(bus, received)
    created = await handlers.create_draft(intake, OWNER, DRAFT)
    await handlers.edit_dossier(intake, OWNER, created.id, {"title": "Đã sửa"}, 1)
    await handlers.delete_draft(intake, OWNER, created.id, 2)
    for _ in range(3):
        with pytest.raises(ConnectionError):
            await relay.relay_pending()
    backlog = {"service": "outbox-test", "collection": "dossiers"}
    assert REGISTRY.get_sample_value("hoso_outbox_backlog", backlog) == 3  # what /metrics shows meanwhile
    assert await relay.relay_pending() == 3
    assert REGISTRY.get_sample_value("hoso_outbox_backlog", backlog) == 0
    await eventually(lambda: len(received) == 3, timeout=5)
    assert [(event.type, event.version) for event in received] == [
        ("dossier.draft_created", 1), ("dossier.draft_updated", 2), ("dossier.draft_deleted", 3)]
    # The tombstone went away with its last event.
    assert await intake.repository.collection.count_documents({}) == 0
    await bus.close()


async def test_a_crash_after_publishing_publishes_again_with_the_same_id(received: list[Envelope]) -> None:
    bus = InProcessBus(namespace="outbox-test")
    intake, relay = await start(bus, received)
    created = await handlers.create_draft(intake, OWNER, DRAFT)
    document = await intake.repository.collection.find_one({"_id": created.id})
    assert document is not None
    # Publish without removing, as a relay that died between the confirm and the removal did.
    await bus.publish(Envelope.model_validate(document[OUTBOX][0]))
    assert await relay.relay_pending() == 1
    await eventually(lambda: len(received) == 2, timeout=5)
    assert received[0].id == received[1].id  # a duplicate consumers drop by id and version
    await bus.close()


class ExaminingCollection:
    """The relay's collection, counting the documents each of its finds examines (explain()'s docsExamined)."""

    def __init__(self, collection: Any) -> None:
        self._collection = collection
        self.examined = 0

    def find(self, filter: Any, *args: Any, **kwargs: Any) -> Any:
        self.examined += self._collection.documents_examined(filter)
        return self._collection.find(filter, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._collection, name)


async def test_a_pass_reads_only_the_documents_with_events_waiting(received: list[Envelope]) -> None:
    bus = InProcessBus(namespace="outbox-test")
    intake, _ = await start(bus, received)
    await intake.repository.ensure_indexes()
    collection = intake.repository.collection
    for _ in range(20):
        await handlers.create_draft(intake, OWNER, DRAFT)
    examining = ExaminingCollection(collection)
    relay = OutboxRelay(examining, bus, service="outbox-test")
    assert await relay.relay_pending() == 20
    assert await collection.count_documents({OUTBOX_PENDING: {"$exists": True}}) == 0  # the marks went with them

    waiting = await handlers.create_draft(intake, OWNER, DRAFT)
    marked = await collection.find_one({"_id": waiting.id})
    assert marked is not None and marked[OUTBOX_PENDING] is True
    examining.examined = 0
    assert await relay.relay_pending() == 1
    assert examining.examined == 1  # of 21 documents: the one with an event waiting
    assert await relay.relay_pending() == 0 and examining.examined == 1
    await bus.close()


class StoringWhilePublishing(InProcessBus):
    """Runs `meanwhile` during the first publish: a write landing between a relay's read and its clean-up."""

    def __init__(self) -> None:
        super().__init__(namespace="outbox-test")
        self.meanwhile: Any = None

    async def publish(self, message: Envelope, **kwargs: Any) -> None:
        await super().publish(message, **kwargs)
        if self.meanwhile is not None:
            write, self.meanwhile = self.meanwhile, None
            await write()


async def test_an_event_stored_while_its_document_is_relayed_keeps_the_mark(received: list[Envelope]) -> None:
    bus = StoringWhilePublishing()
    intake, relay = await start(bus, received)
    created = await handlers.create_draft(intake, OWNER, DRAFT)
    bus.meanwhile = lambda: handlers.edit_dossier(intake, OWNER, created.id, {"title": "Sửa giữa chừng"}, 1)
    assert await relay.relay_pending() == 1  # the draft_created it read; the edit's event came after
    stored = await intake.repository.collection.find_one({"_id": created.id})
    assert stored is not None and [event["type"] for event in stored[OUTBOX]] == ["dossier.draft_updated"]
    assert stored[OUTBOX_PENDING] is True
    assert await relay.relay_pending() == 1
    await eventually(lambda: len(received) == 2, timeout=5)
    assert [event.version for event in received] == [1, 2]
    await bus.close()


async def test_an_outbox_as_long_as_it_was_but_changed_keeps_what_was_not_published(
    received: list[Envelope],
) -> None:
    """While a relay publishes the two events it read, another relay takes the first and a change stores one:
    the outbox is as long as it was, and the event it did not read must stay."""
    bus = StoringWhilePublishing()
    intake, relay = await start(bus, received)
    collection = intake.repository.collection
    created = await handlers.create_draft(intake, OWNER, DRAFT)
    await handlers.edit_dossier(intake, OWNER, created.id, {"title": "Sửa lần một"}, 1)

    async def another_relay_and_a_change() -> None:
        stored = await collection.find_one({"_id": created.id})
        assert stored is not None
        await collection.update_one({"_id": created.id}, {"$pull": {OUTBOX: {"id": stored[OUTBOX][0]["id"]}}})
        await handlers.edit_dossier(intake, OWNER, created.id, {"title": "Sửa lần hai"}, 2)

    bus.meanwhile = another_relay_and_a_change
    assert await relay.relay_pending() == 2
    stored = await collection.find_one({"_id": created.id})
    assert stored is not None and [event["version"] for event in stored[OUTBOX]] == [3]
    assert stored[OUTBOX_PENDING] is True
    assert await relay.relay_pending() == 1
    stored = await collection.find_one({"_id": created.id})
    assert stored is not None and stored[OUTBOX] == [] and OUTBOX_PENDING not in stored
    await bus.close()


async def test_events_stored_before_the_mark_existed_are_published(received: list[Envelope]) -> None:
    """Documents an older build stored (events waiting, a tombstone left) have no mark: a relay's first
    pass marks them, so they are published and cleaned up as before."""
    bus = InProcessBus(namespace="outbox-test")
    intake, relay = await start(bus, received)
    created = await handlers.create_draft(intake, OWNER, DRAFT)
    collection = intake.repository.collection
    await collection.update_one({"_id": created.id}, {"$unset": {OUTBOX_PENDING: ""}})
    await collection.insert_one({"_id": "old-tombstone", TOMBSTONE: True, "updated_at": 0, OUTBOX: []})
    assert await relay.relay_pending() == 1
    await eventually(lambda: len(received) == 1, timeout=5)
    assert await collection.find_one({"_id": "old-tombstone"}) is None
    assert await collection.count_documents({OUTBOX_PENDING: {"$exists": True}}) == 0
    await bus.close()


async def test_a_tombstone_kept_for_its_key_outlives_its_events_then_expires(received: list[Envelope]) -> None:
    """A draft deleted under an Idempotency-Key stays a tombstone past its last event, to answer the key: the
    relay only unmarks it and hands its time to the TTL index, which removes it then; one whose time is
    over when its events leave goes at once."""
    bus = InProcessBus(namespace="outbox-test")
    _intake, relay = await start(bus, received)
    collection = _intake.repository.collection
    await ensure_outbox_index(collection)
    later, earlier = utc_now() + timedelta(hours=24), utc_now() - timedelta(seconds=1)
    for name, kept_until in (("kept", later), ("due", earlier)):
        await collection.insert_one({"_id": name, TOMBSTONE: True, TOMBSTONE_KEPT_UNTIL: kept_until, "updated_at": 0,
                                     **outbox_fields([Envelope(type="dossier.draft_deleted", producer="intake",
                                                               dossier_id=name, version=2)])})
    assert await relay.relay_pending() == 2
    kept = await collection.find_one({"_id": "kept"})
    assert kept is not None and OUTBOX_PENDING not in kept and kept[TOMBSTONE_EXPIRES_AT] == kept[TOMBSTONE_KEPT_UNTIL]
    assert await collection.find_one({"_id": "due"}) is None
    # Its time come, the TTL index removes it.
    await collection.update_one({"_id": "kept"}, {"$set": {TOMBSTONE_EXPIRES_AT: earlier}})
    await eventually(lambda: _gone(collection, "kept"), timeout=10, what="the kept tombstone expired")
    await bus.close()


async def _gone(collection: Any, document_id: str) -> bool:
    return await collection.find_one({"_id": document_id}) is None

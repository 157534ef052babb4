"""The outbox: a change and its events are stored together; the relay publishes each at least once.

Run on the in-process bus and the in-memory store with intake's real bootstrap and repository.
"""

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
from shared.messages import DossierContent, Envelope
from shared.messaging.memory import InProcessBus
from shared.outbox import OUTBOX, OutboxRelay
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

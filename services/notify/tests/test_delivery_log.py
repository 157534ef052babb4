"""The delivery log's promises on the store: one delivery per status change, one claimant at a time, a
dead sender's claim taken over after its lease, and only the current claimant records an outcome."""

from datetime import UTC, datetime, timedelta

from services.notify.adapters.delivery_log import DeliveryLog
from services.notify.domain.delivery import Delivery, DeliveryState
from services.notify.domain.reports import sent_report
from shared.outbox import OUTBOX
from shared.store.memory import MemoryStore

NOW = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
LEASE = timedelta(seconds=300)
DELIVERY = Delivery(id="d-1.v3.received", dossier_id="d-1", version=3, template="received", for_event_id="e-1",
                    correlation_id="c-1", recipient="binh.tran@example.vn", facts={"lookup_code": "X"},
                    created_at=NOW)


def log() -> DeliveryLog:
    return DeliveryLog(MemoryStore("hoso_notify").db)


async def test_the_same_status_change_is_recorded_once() -> None:
    deliveries = log()
    assert await deliveries.record(DELIVERY)
    assert not await deliveries.record(DELIVERY)
    assert await deliveries.collection.count_documents({}) == 1


async def test_one_claimant_at_a_time_and_nothing_before_it_is_due() -> None:
    deliveries = log()
    await deliveries.record(DELIVERY)
    assert await deliveries.claim_due(NOW - timedelta(seconds=1), LEASE) is None
    claimed = await deliveries.claim_due(NOW, LEASE)
    assert claimed is not None and (claimed.state, claimed.attempts) == (DeliveryState.SENDING, 1)
    assert await deliveries.claim_due(NOW, LEASE) is None


async def test_a_dead_senders_claim_is_taken_over_after_its_lease_and_only_the_new_one_counts() -> None:
    deliveries = log()
    await deliveries.record(DELIVERY)
    dead = await deliveries.claim_due(NOW, LEASE)
    assert dead is not None
    assert await deliveries.claim_due(NOW + LEASE - timedelta(seconds=1), LEASE) is None
    later = NOW + LEASE
    taken_over = await deliveries.claim_due(later, LEASE)
    assert taken_over is not None and taken_over.attempts == 2
    assert not await deliveries.mark_sent(dead, later, sent_report(dead, later))
    assert await deliveries.mark_sent(taken_over, later, sent_report(taken_over, later))
    stored = await deliveries.collection.find_one({"_id": DELIVERY.id})
    assert stored is not None
    assert stored["state"] == "sent" and [event["type"] for event in stored[OUTBOX]] == ["notification.sent"]
    assert stored[OUTBOX][0]["data"]["masked_recipient"] == "b***n@e***.vn"


async def test_a_retry_waits_for_its_time() -> None:
    deliveries = log()
    await deliveries.record(DELIVERY)
    claimed = await deliveries.claim_due(NOW, LEASE)
    assert claimed is not None
    await deliveries.retry_at(claimed, NOW + timedelta(seconds=30), "ConnectionRefusedError", NOW)
    assert await deliveries.claim_due(NOW + timedelta(seconds=29), LEASE) is None
    again = await deliveries.claim_due(NOW + timedelta(seconds=30), LEASE)
    assert again is not None and again.attempts == 2

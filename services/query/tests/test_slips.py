"""The slips issued for a dossier as its detail lists them: once each, oldest first, the newest of a kind at
its plain address and an earlier one by its id."""

from datetime import UTC, datetime, timedelta

from services.query.adapters.slip_log import SlipLog
from shared.messages import Envelope
from shared.slips import SlipIssued
from shared.store.memory import MemoryStore

AT = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


def issued(slip_id: str, kind: str, minutes: int) -> Envelope:
    payload = SlipIssued(slip_id=slip_id, kind=kind, title=f"phiếu {kind}", number=f"N-{slip_id}",
                         issued_at=AT + timedelta(minutes=minutes), for_event_id=f"e-{slip_id}")
    return Envelope(type=payload.message_type, producer="slips", dossier_id="d-1", data=payload.model_dump(mode="json"))


async def test_each_slip_once_the_newest_of_a_kind_at_its_plain_address() -> None:
    log = SlipLog(MemoryStore("query").db)
    await log.ensure_indexes()
    for event in (issued("d-1.supplement.v6", "supplement", 30), issued("d-1.receipt.v3", "receipt", 0),
                  issued("d-1.supplement.v4", "supplement", 10), issued("d-1.receipt.v3", "receipt", 0)):
        await log.record(event)
    shown = await log.of_dossier("d-1")
    assert [(slip["kind"], slip["url"]) for slip in shown] == [
        ("receipt", "/v1/dossiers/d-1/slips/receipt"),
        ("supplement", "/v1/dossiers/d-1/slips/supplement?slip_id=d-1.supplement.v4"),
        ("supplement", "/v1/dossiers/d-1/slips/supplement"),
    ]
    assert await log.of_dossier("d-2") == []

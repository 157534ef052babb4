"""Who writes which event, read off the status table, and what a consumer refuses."""

import pytest

from shared.messages import Envelope
from shared.messaging.heartbeat import heartbeat_for
from shared.messaging.port import PermanentFailure
from shared.producers import PRODUCERS, RefusedEvent, read_event
from shared.registry import PAYLOADS


def test_every_dossier_event_has_the_one_service_that_writes_it() -> None:
    dossier_types = {name for name in PAYLOADS if name.startswith("dossier.")}
    assert dossier_types <= set(PRODUCERS)
    assert {name: PRODUCERS[name] for name in (
        "dossier.draft_created", "dossier.submitted", "dossier.withdrawn", "dossier.received",
        "dossier.payment_requested", "dossier.payment_started", "dossier.paid", "dossier.result_returned")} == {
        "dossier.draft_created": "intake", "dossier.submitted": "intake", "dossier.withdrawn": "processing",
        "dossier.received": "processing", "dossier.payment_requested": "processing",
        "dossier.payment_started": "payment", "dossier.paid": "payment", "dossier.result_returned": "processing"}


RECEIVED = {"from_status": "submitted", "to_status": "received", "lookup_code": "H35.22-260303-0001",
            "received_at": "2026-03-03T04:30:00+00:00", "due_date": "2026-03-31", "processing_days": 20,
            "owner_id": "citizen-1"}


def received(**changes: object) -> Envelope:
    fields: dict[str, object] = {"type": "dossier.received", "producer": "processing", "dossier_id": "d-1",
                                 "version": 4, "data": RECEIVED, **changes}
    return Envelope.model_validate(fields)


def test_a_known_event_from_its_producer_reads_as_its_contract() -> None:
    assert read_event(received()).model_dump(mode="json")["lookup_code"] == "H35.22-260303-0001"


@pytest.mark.parametrize(("event", "reason"), [
    (received(type="dossier.frobnicated", data={"from_status": "submitted", "to_status": "result_returned"}),
     "unknown_type"),
    (received(producer="intake"), "wrong_producer"),
    (received(version=None), "no_dossier_version"),
    (received(data={**RECEIVED, "lookup_code": None}), "invalid_payload"),
    (received(data={**RECEIVED, "to_status": "result_returned"}), "wrong_status"),
    (received(data={**RECEIVED, "from_status": "payment_requested"}), "wrong_status"),  # payment's to leave
])
def test_what_a_consumer_refuses_and_why(event: Envelope, reason: str) -> None:
    with pytest.raises(RefusedEvent) as refused:
        read_event(event)
    assert refused.value.reason == reason
    assert isinstance(refused.value, PermanentFailure)


def test_a_type_known_elsewhere_is_unknown_to_a_consumer_that_does_not_take_it() -> None:
    with pytest.raises(RefusedEvent, match="unknown_type"):
        read_event(received(), frozenset({"dossier.submitted"}))


@pytest.mark.parametrize(("bound", "heartbeat"), [(7, 1), (10, 2), (30, 7), (60, 16)])
def test_the_heartbeat_closes_a_silent_link_within_the_bound(bound: float, heartbeat: int) -> None:
    assert heartbeat_for(bound) == heartbeat
    assert 3 * (heartbeat + 1) + max(1, heartbeat // 2) <= bound

"""Applying payment's events (yêu cầu thanh toán, thanh toán, đã thanh toán) to a read-model document, and
the payment and actions the portal then shows."""

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from services.query.domain.document import Document
from services.query.domain.projection import UnreadableEvent, project
from services.query.domain.views import detail
from services.query.tests.factory import (
    CITIZEN,
    OWNER,
    catalog_documents,
    created,
    event,
    fold,
    received,
    staff_event,
    started,
    submitted,
)
from shared.messages import Actor, Envelope
from shared.payments import DossierPaid, FeeLine, PaymentFailed, PaymentRequested, PaymentStarted

VIETNAM = timezone(timedelta(hours=7))
PAID_AT = datetime(2025, 3, 5, 3, 0, tzinfo=UTC)
ITEMS = [FeeLine(kind="phi", name="Phí thẩm định", amount_vnd=360_000),
         FeeLine(kind="le_phi", name="Lệ phí cấp phép", amount_vnd=40_000)]
REQUESTED = PaymentRequested(from_status="processing", items=ITEMS, amount_vnd=400_000, procedure_code="SYT-KCB-01",
                             owner_id=OWNER, pay_by=date(2025, 3, 17))
PAYMENT = Actor(kind="citizen", id=OWNER)


def names(code: str) -> str | None:
    return "Cấp giấy phép hành nghề"


def fold_all(*events: Envelope) -> Document:
    return fold(events, names)


def asked_to_pay() -> list[Envelope]:
    """Received (3), processed (4), payment requested (5)."""
    return [event(created(), 1), event(submitted(), 2), staff_event(received(), 3), staff_event(started(), 4),
            staff_event(REQUESTED, 5)]


def chose(method: str, version: int, payment_id: str = "p-1") -> Envelope:
    provider = "sandbox" if method == "online" else None
    return event(PaymentStarted(payment_id=payment_id, method=method, amount_vnd=400_000,
                                provider=provider), version, actor=CITIZEN)


def failed(version: int, payment_id: str = "p-1") -> Envelope:
    return event(PaymentFailed(payment_id=payment_id, method="online", provider="sandbox", provider_code="24"),
                 version, actor=PAYMENT)


def paid(version: int, method: str = "online", payment_id: str = "p-1", actor: Actor = PAYMENT) -> Envelope:
    return event(DossierPaid(payment_id=payment_id, method=method, amount_vnd=400_000,
                             receipt_number="BL-250305-ABC", paid_at=PAID_AT), version, actor=actor)


def shown(document: Document) -> dict[str, Any]:
    return detail(document, date(2025, 3, 5), VIETNAM, catalog_documents)


def test_a_payment_request_shows_the_amount_the_items_and_how_to_pay() -> None:
    document = fold_all(*asked_to_pay())
    assert document["status"] == "payment_requested" and document["payment"]["requested_at"] is not None
    assert document["history"][-1]["from"] == "processing" and document["history"][-1]["to"] == "payment_requested"
    view = shown(document)
    assert view["payment"] == {
        "state": "requested", "amount_vnd": 400_000, "methods": ["online", "at_office", "postal"], "method": None,
        "provider": None, "receipt_number": None, "paid_at": None, "reason": None,
        "requested_at": document["payment"]["requested_at"], "pay_by": "2025-03-17",
        "items": [{"kind": "phi", "name": "Phí thẩm định", "amount_vnd": 360_000},
                  {"kind": "le_phi", "name": "Lệ phí cấp phép", "amount_vnd": 40_000}]}
    assert view["payments"] == [view["payment"]]
    assert view["actions"] == ["pay"] and view["status_label"] == "Yêu cầu thanh toán"


def test_paying_online_then_failing_then_paying_again() -> None:
    pending = fold_all(*asked_to_pay(), chose("online", 6))
    assert (shown(pending)["payment"]["state"], shown(pending)["payment"]["method"]) == ("pending", "online")
    assert shown(pending)["actions"] == ["pay"]  # the checkout can be opened again
    assert len(pending["history"]) == 5  # choosing how to pay is no status change

    failed_once = project(pending, failed(7), names)
    assert shown(failed_once)["payment"]["state"] == "failed" and shown(failed_once)["actions"] == ["pay"]
    again = fold_all(*asked_to_pay(), chose("online", 6), failed(7), chose("online", 8, "p-2"))
    # A late failure of the first attempt does not hide the second one, still pending.
    late = project(again, failed(9, "p-1"), names)
    assert (late["version"], shown(late)["payment"]["state"]) == (9, "pending")

    done = project(late, paid(10, payment_id="p-2"), names)
    view = shown(done)
    assert (view["status"], view["status_label"], view["actions"]) == ("paid", "Đã thanh toán", [])
    assert {key: view["payment"][key] for key in ("state", "method", "receipt_number", "paid_at")} == {
        "state": "paid", "method": "online", "receipt_number": "BL-250305-ABC", "paid_at": PAID_AT}
    assert done["history"][-1]["from"] == "payment_requested" and done["history"][-1]["to"] == "paid"


@pytest.mark.parametrize("method", ["at_office", "postal"])
def test_paying_in_person_leaves_the_citizen_only_the_switch_to_online_until_staff_confirm(method: str) -> None:
    document = fold_all(*asked_to_pay(), chose(method, 6))
    # Payment lets an online checkout supersede a choice to pay in person, never the other way round.
    assert shown(document)["actions"] == ["pay_online"]
    assert shown(document)["payment"]["state"] == "pending"
    clerk = Actor(kind="staff", id="clerk-7")
    confirmed = project(document, paid(7, method, actor=clerk), names)
    assert shown(confirmed)["payment"]["receipt_number"] == "BL-250305-ABC"
    assert confirmed["history"][-1]["actor"] == {"kind": "staff", "id": "clerk-7"}


def test_the_payment_stays_on_the_dossier_after_it_goes_on() -> None:
    document = fold_all(*asked_to_pay(), chose("online", 6), paid(7), staff_event(started("paid"), 8))
    assert document["status"] == "processing" and shown(document)["payment"]["state"] == "paid"


def test_an_additional_fee_keeps_the_first_payment_and_its_receipt_in_sight() -> None:
    additional = PaymentRequested(
        from_status="processing", items=[FeeLine(kind="phi", name="Phí thẩm định thực tế", amount_vnd=500_000)],
        amount_vnd=500_000, procedure_code="SYT-KCB-01", owner_id=OWNER, reason="Thẩm định thực tế lần hai")
    second_paid = event(DossierPaid(payment_id="p-2", method="at_office", amount_vnd=500_000,
                                    receipt_number="0001299", paid_at=PAID_AT + timedelta(days=2)), 10,
                        actor=Actor(kind="staff", id="clerk-7"))
    asked_again = fold_all(*asked_to_pay(), chose("online", 6), paid(7), staff_event(started("paid"), 8),
                           staff_event(additional, 9))
    view = shown(asked_again)
    assert (view["payment"]["state"], view["payment"]["amount_vnd"], view["payment"]["reason"]) == (
        "requested", 500_000, "Thẩm định thực tế lần hai")
    assert view["history"][-1]["reason"] == "Thẩm định thực tế lần hai"
    [first, latest] = view["payments"]
    assert (first["state"], first["receipt_number"], first["amount_vnd"], first["reason"]) == (
        "paid", "BL-250305-ABC", 400_000, None)
    assert latest == view["payment"] and view["actions"] == ["pay"]

    done = shown(project(asked_again, second_paid, names))
    assert [(payment["receipt_number"], payment["method"]) for payment in done["payments"]] == [
        ("BL-250305-ABC", "online"), ("0001299", "at_office")]
    assert done["payment"] == done["payments"][-1]


def test_a_document_stored_before_earlier_payments_were_kept_shows_its_one_payment() -> None:
    document = fold_all(*asked_to_pay(), chose("online", 6), paid(7))
    del document["earlier_payments"]
    assert [payment["receipt_number"] for payment in shown(document)["payments"]] == ["BL-250305-ABC"]
    asked_again = project(document, staff_event(REQUESTED, 8), names)
    assert [payment["state"] for payment in shown(asked_again)["payments"]] == ["paid", "requested"]


def test_a_dossier_never_asked_to_pay_lists_no_payment() -> None:
    assert (shown(fold_all(event(created(), 1)))["payments"], shown(fold_all(event(created(), 1)))["payment"]) == (
        [], None)


@pytest.mark.parametrize(("type_", "data"), [
    ("dossier.payment_requested", {"from_status": "processing", "to_status": "payment_requested", "items": [],
                                   "amount_vnd": 1, "procedure_code": "X", "owner_id": OWNER}),
    ("dossier.payment_started", {"payment_id": "p-1", "method": "cheque", "amount_vnd": 1}),
    ("dossier.paid", {"payment_id": "p-1", "method": "online", "amount_vnd": 1}),
])
def test_payment_events_are_parsed_by_their_contract(type_: str, data: dict[str, Any]) -> None:
    bad = Envelope(type=type_, producer="payment", dossier_id="d-1", version=6, data=data)
    with pytest.raises(UnreadableEvent):
        project(fold_all(*asked_to_pay()), bad, names)

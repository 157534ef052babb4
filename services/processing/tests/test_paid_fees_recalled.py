"""Dossiers paid before processing kept the fees paid: payment recalls them, and the default request is
refused for those as for any dossier paid since; recalled twice, nothing is added twice."""

from datetime import UTC, datetime

from services.processing.tests.harness import Harness
from services.processing.tests.test_payment_hand_over import (
    PROCEDURE_FEE,
    hand_back_paid,
    held_at,
    processing_started,
)
from shared.messages import SYSTEM, Envelope
from shared.payments import PaidFeesRecalled, RecalledPayment
from tests.support.waiting import eventually

PAID_AT = datetime(2026, 2, 20, 3, 0, tzinfo=UTC)


async def paid_before_this_release(processing: Harness) -> str:
    """A dossier paid (v7), processed again (v8), as a release before kept it: no fees paid on its record."""
    dossier_id = await processing_started(processing)
    await processing.act(dossier_id, "request-payment")
    await hand_back_paid(processing, dossier_id, version=7, items=(), receipt_number="BL-OLD-1")
    await held_at(processing, dossier_id, 7)
    assert (await processing.act(dossier_id, "start-processing")).status_code == 200
    await processing.store.memory.db["dossiers"].update_one(
        {"_id": dossier_id}, {"$unset": {"paid_fees": "", "requested_fees": ""}})
    return dossier_id


def recall(dossier_id: str, payment_id: str = "p-old-1", receipt_number: str = "BL-OLD-1") -> Envelope:
    payload = PaidFeesRecalled(dossier_id=dossier_id, payments=[RecalledPayment(
        payment_id=payment_id, method="at_office", amount_vnd=150_000, receipt_number=receipt_number,
        paid_at=PAID_AT, items=[PROCEDURE_FEE])])
    return Envelope(type=payload.message_type, producer="payment", dossier_id=dossier_id, actor=SYSTEM,
                    data=payload.model_dump(mode="json"))


async def test_without_its_fees_paid_an_old_dossier_would_be_asked_again(processing: Harness) -> None:
    # What the backfill is for: the record alone knows of no payment.
    dossier_id = await paid_before_this_release(processing)
    again = await processing.act(dossier_id, "request-payment")
    assert again.status_code == 200 and again.json()["status"] == "payment_requested"


async def test_recalled_payments_refuse_the_default_request_and_count_once(processing: Harness) -> None:
    dossier_id = await paid_before_this_release(processing)
    for _ in range(2):  # a redelivery, or a second replica's start, adds nothing
        await processing.bus.publish(recall(dossier_id))

    async def recalled() -> bool:
        return len((await processing.record(dossier_id)).get("recalled_paid_fees", [])) == 1

    await eventually(recalled, timeout=5, what="the recalled payment kept")
    before = await processing.record(dossier_id)
    refused = await processing.act(dossier_id, "request-payment")
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "fee_already_paid")
    assert (await processing.record(dossier_id))["version"] == before["version"]
    # The fee recalled is paid: an additional fee may not name it again, another one with its reason may.
    same = await processing.act(dossier_id, "request-payment", items=[PROCEDURE_FEE], reason="Thu lại")
    assert (same.status_code, same.json()["error"]["code"]) == (409, "fee_item_already_paid")
    extra = {"kind": "phi", "name": "Phí thẩm định thực tế tại cơ sở", "amount_vnd": 500_000}
    asked = await processing.act(dossier_id, "request-payment", items=[extra], reason="Thẩm định thực tế lần hai.")
    assert asked.status_code == 200, asked.text
    # Kept with the record's own fees once the dossier changed, it still counts once.
    record = await processing.record(dossier_id)
    assert [paid["payment_id"] for paid in record["paid_fees"]] == ["p-old-1"]

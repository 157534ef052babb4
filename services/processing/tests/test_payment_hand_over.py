"""Handing a dossier to payment (request-payment, both doors) and taking it back paid (`dossier.paid`)."""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from services.processing.tests.harness import OWNER, STAFF, Harness
from shared.messages import Actor, Envelope
from shared.payments import DossierPaid, FeeLine
from tests.support.waiting import eventually

ITEMS = [{"kind": "phi", "name": "Phí thẩm định", "amount_vnd": 300_000},
         {"kind": "le_phi", "name": "Lệ phí cấp giấy phép", "amount_vnd": 50_000}]
PROCEDURE_FEE = {"kind": "phi", "name": "Phí thẩm định cấp lại giấy phép hành nghề", "amount_vnd": 150_000}
EXPERT_VISIT = {"kind": "phi", "name": "Phí thẩm định thực tế tại cơ sở", "amount_vnd": 500_000}
REASON = "Cơ sở đề nghị thẩm định thực tế lần hai."


async def processing_started(processing: Harness, procedure_code: str = "SYT-KCB-02") -> str:
    """A dossier received (v3) and being processed (v4)."""
    dossier_id = await processing.submit(version=2, procedure_code=procedure_code)
    for action in ("accept", "start-processing"):
        assert (await processing.act(dossier_id, action)).status_code == 200
    return dossier_id


async def hand_back_paid(processing: Harness, dossier_id: str, version: int,
                        items: Sequence[dict[str, Any]] = (PROCEDURE_FEE,), receipt_number: str = "BL-1") -> Envelope:
    """Publish payment's `dossier.paid`, as payment does once the citizen has paid: the `items` of the request
    it paid (none, as a payment release before they were carried)."""
    lines = [FeeLine.model_validate(item) for item in items]
    paid = DossierPaid(payment_id="pay-1", method="online", amount_vnd=sum(line.amount_vnd for line in lines),
                       receipt_number=receipt_number, paid_at=datetime(2026, 3, 3, 3, tzinfo=UTC), items=lines)
    event = Envelope(type=paid.message_type, producer="payment", dossier_id=dossier_id, version=version,
                     actor=Actor(kind="citizen", id=OWNER), data=paid.model_dump(mode="json"))
    await processing.bus.publish(event)
    return event


async def paid_and_processing_again(processing: Harness) -> str:
    """A dossier whose procedure's fee was paid (v5 asked, v7 paid), then processed again (v8)."""
    dossier_id = await processing_started(processing)
    await processing.act(dossier_id, "request-payment")
    await hand_back_paid(processing, dossier_id, version=7, receipt_number="BL-260303-A1")
    await held_at(processing, dossier_id, 7)
    assert (await processing.act(dossier_id, "start-processing")).json()["version"] == 8
    return dossier_id


async def held_at(processing: Harness, dossier_id: str, version: int) -> dict[str, Any]:
    async def reached() -> bool:
        return (await processing.record(dossier_id))["version"] >= version

    await eventually(reached, timeout=5, what=f"processing holds {dossier_id} v{version}")
    return await processing.record(dossier_id)


async def test_request_payment_asks_for_the_procedures_fee_and_hands_the_dossier_to_payment(
        processing: Harness) -> None:
    dossier_id = await processing_started(processing)
    answer = await processing.act(dossier_id, "request-payment")
    assert answer.json() == {"id": dossier_id, "status": "payment_requested", "version": 5}, answer.text
    await eventually(lambda: processing.published("dossier.payment_requested", dossier_id), timeout=5)
    [requested] = processing.published("dossier.payment_requested", dossier_id)
    assert (requested.version, requested.actor, requested.producer) == (5, STAFF, "processing")
    assert requested.data == {
        "from_status": "processing", "to_status": "payment_requested", "reason": None,
        "items": [{"kind": "phi", "name": "Phí thẩm định cấp lại giấy phép hành nghề", "amount_vnd": 150_000}],
        "amount_vnd": 150_000, "procedure_code": "SYT-KCB-02", "owner_id": OWNER,
        "lookup_code": (await processing.record(dossier_id))["lookup_code"],
        # Tuesday 3 March 2026 and the office's five working days to pay at the office or by post.
        "pay_by": "2026-03-10"}
    assert requested.data["lookup_code"]  # drawn at reception, for the checkout and a transfer's content
    # Payment holds it now: processing refuses its own actions until the dossier comes back paid.
    refused = await processing.act(dossier_id, "start-processing")
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "transition_not_allowed")


async def test_explicit_items_from_a_received_dossier(processing: Harness) -> None:
    dossier_id = await processing.submit(version=2)
    await processing.act(dossier_id, "accept")
    answer = await processing.act(dossier_id, "request-payment", items=ITEMS)
    assert answer.json()["status"] == "payment_requested"
    await eventually(lambda: processing.published("dossier.payment_requested", dossier_id), timeout=5)
    [requested] = processing.published("dossier.payment_requested", dossier_id)
    assert (requested.data["items"], requested.data["amount_vnd"], requested.data["from_status"]) == (
        ITEMS, 350_000, "received")


async def test_nothing_to_pay_or_not_now_is_refused_and_changes_nothing(processing: Harness) -> None:
    free = await processing_started(processing, procedure_code="SYT-GD-01")  # a procedure without fees
    submitted = await processing.submit(version=2)
    before = {dossier_id: await processing.record(dossier_id) for dossier_id in (free, submitted)}
    no_fee = await processing.act(free, "request-payment")
    assert (no_fee.status_code, no_fee.json()["error"]["code"]) == (409, "no_fee_to_pay")
    zero = await processing.act(free, "request-payment", items=[{**ITEMS[0], "amount_vnd": 0}])
    assert zero.json()["error"]["code"] == "no_fee_to_pay"
    too_early = await processing.act(submitted, "request-payment")
    assert (too_early.status_code, too_early.json()["error"]["code"]) == (409, "transition_not_allowed")
    for invalid in ([], [{**ITEMS[0], "amount_vnd": -1}], [{**ITEMS[0], "kind": "tip"}]):
        answer = await processing.act(free, "request-payment", items=invalid)
        assert (answer.status_code, answer.json()["error"]["code"]) == (422, "validation_error"), invalid
    assert {dossier_id: await processing.record(dossier_id) for dossier_id in before} == before
    assert processing.published("dossier.payment_requested") == []


async def test_request_payment_over_the_bus_is_answered(processing: Harness) -> None:
    dossier_id = await processing_started(processing)
    command = await processing.command("request-payment", dossier_id, {"items": ITEMS[:1]})
    outcome = await processing.outcome_of(command)
    assert (outcome.type, outcome.data["status"], outcome.data["version"]) == (
        "command.completed", "payment_requested", 5)
    free = await processing_started(processing, procedure_code="SYT-GD-01")
    refused = await processing.outcome_of(await processing.command("request-payment", free))
    assert (refused.type, refused.data["code"]) == ("command.rejected", "no_fee_to_pay")


async def test_paid_comes_back_at_payments_version_once_and_processing_goes_on(processing: Harness) -> None:
    dossier_id = await processing_started(processing)
    await processing.act(dossier_id, "request-payment")  # v5; payment's own events take v6 and v7
    await hand_back_paid(processing, dossier_id, version=8)
    record = await held_at(processing, dossier_id, 8)
    assert (record["status"], record["version"]) == ("paid", 8)

    for stale in (8, 6):  # redelivered, or older than what processing holds: nothing changes
        await hand_back_paid(processing, dossier_id, version=stale)
    await processing.submit(version=2)  # handled after the two above: the queue keeps its order
    assert await processing.record(dossier_id) == record

    started = await processing.act(dossier_id, "start-processing")
    assert started.json() == {"id": dossier_id, "status": "processing", "version": 9}
    issued = await processing.client.post(f"/dossiers/{dossier_id}/actions/issue-result",
                                          data={"actor_id": STAFF.id, "summary": "Cấp giấy phép"})
    assert issued.json() == {"id": dossier_id, "status": "result_ready", "version": 10}


async def test_a_result_can_be_issued_straight_after_payment(processing: Harness) -> None:
    dossier_id = await processing_started(processing)
    await processing.act(dossier_id, "request-payment")
    await hand_back_paid(processing, dossier_id, version=7)
    await held_at(processing, dossier_id, 7)
    issued = await processing.client.post(f"/dossiers/{dossier_id}/actions/issue-result",
                                          data={"actor_id": STAFF.id, "summary": "Cấp giấy phép"})
    assert issued.json()["status"] == "result_ready"


async def test_paid_for_a_dossier_payment_does_not_hold_goes_to_the_dead_letters(processing: Harness) -> None:
    dossier_id = await processing_started(processing)  # processing holds it: payment cannot hand it back
    before = await processing.record(dossier_id)
    out_of_turn = await hand_back_paid(processing, dossier_id, version=9)
    unknown = await hand_back_paid(processing, "d-nobody", version=3)

    dead: set[str] = set()

    async def both_dead_lettered() -> bool:
        dead.update(envelope.id for envelope in await processing.bus.take_dead_letters("processing"))
        return {out_of_turn.id, unknown.id} <= dead

    await eventually(both_dead_lettered, timeout=5, what="both hand-backs dead-lettered")
    assert await processing.record(dossier_id) == before


async def test_the_paid_request_is_kept_with_its_receipt(processing: Harness) -> None:
    dossier_id = await paid_and_processing_again(processing)
    record = await processing.record(dossier_id)
    assert (record["requested_fees"], record["paid_fees"]) == ([], [{
        "payment_id": "pay-1", "method": "online", "items": [PROCEDURE_FEE], "amount_vnd": 150_000,
        "receipt_number": "BL-260303-A1", "paid_at": datetime(2026, 3, 3, 3, tzinfo=UTC)}])


async def test_a_hand_back_without_items_keeps_what_processing_asked_for(processing: Harness) -> None:
    dossier_id = await processing_started(processing)
    await processing.act(dossier_id, "request-payment", items=ITEMS)
    assert (await processing.record(dossier_id))["requested_fees"] == ITEMS
    await hand_back_paid(processing, dossier_id, version=7, items=[])
    [paid] = (await held_at(processing, dossier_id, 7))["paid_fees"]
    assert paid["items"] == ITEMS


async def test_once_paid_the_procedures_fee_is_refused_and_only_an_additional_fee_with_a_reason_goes(
        processing: Harness) -> None:
    dossier_id = await paid_and_processing_again(processing)
    before = await processing.record(dossier_id)

    default = await processing.act(dossier_id, "request-payment")
    assert (default.status_code, default.json()["error"]) == (409, {
        "code": "fee_already_paid", "message": "Phí, lệ phí của thủ tục đã được thanh toán; chỉ có thể yêu cầu thu "
                                               "thêm khoản phí bổ sung với lý do."})
    paid_again = await processing.act(dossier_id, "request-payment", items=[EXPERT_VISIT, PROCEDURE_FEE],
                                      reason=REASON)
    assert (paid_again.status_code, paid_again.json()["error"]["code"]) == (409, "fee_item_already_paid")
    assert paid_again.json()["error"]["fields"] == {"items.1": "Khoản này đã được thanh toán (biên lai BL-260303-A1)."}
    no_reason = await processing.act(dossier_id, "request-payment", items=[EXPERT_VISIT])
    assert (no_reason.status_code, no_reason.json()["error"]["code"]) == (422, "validation_error")
    assert set(no_reason.json()["error"]["fields"]) == {"reason"}
    assert await processing.record(dossier_id) == before

    additional = await processing.act(dossier_id, "request-payment", items=[EXPERT_VISIT], reason=REASON)
    assert additional.json() == {"id": dossier_id, "status": "payment_requested", "version": 9}, additional.text
    await eventually(lambda: len(processing.published("dossier.payment_requested", dossier_id)) == 2, timeout=5)
    requested = processing.published("dossier.payment_requested", dossier_id)[-1]
    assert (requested.version, requested.data["items"], requested.data["amount_vnd"], requested.data["reason"]) == (
        9, [EXPERT_VISIT], 500_000, REASON)


async def test_once_paid_the_bus_door_refuses_the_procedures_fee_too(processing: Harness) -> None:
    dossier_id = await paid_and_processing_again(processing)
    refused = await processing.outcome_of(await processing.command("request-payment", dossier_id))
    assert (refused.type, refused.data["code"]) == ("command.rejected", "fee_already_paid")
    additional = await processing.outcome_of(await processing.command(
        "request-payment", dossier_id, {"items": [EXPERT_VISIT], "reason": REASON}))
    assert (additional.type, additional.data["status"], additional.data["version"]) == (
        "command.completed", "payment_requested", 9)

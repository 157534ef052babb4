"""Payment requests and the paid hand-back, decided on records: a fee paid stays paid, and a dossier paid
before is asked only for an additional fee, named, never paid already, and with its reason."""

import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from services.processing.domain import payment_hand_over
from services.processing.domain.dossier import Dossier, PaidFee
from services.processing.errors import (
    AdditionalFeeReasonRequired,
    FeeAlreadyPaid,
    FeeItemAlreadyPaid,
    NothingToPay,
    PaidOutOfTurn,
)
from services.processing.tests.dossiers import NOW, dossier
from shared.errors import TransitionNotAllowed
from shared.payments import DossierPaid, FeeLine, PaymentRequested
from shared.procedures import load_catalog
from shared.statuses import Status
from shared.working_calendar import load_calendar

PROCEDURE = load_catalog().get("SYT-KCB-02")
PROCEDURE_FEE = FeeLine(kind="phi", name="Phí thẩm định cấp lại giấy phép hành nghề", amount_vnd=150_000)
EXPERT_VISIT = FeeLine(kind="phi", name="Phí thẩm định thực tế tại cơ sở", amount_vnd=500_000)
PAID_AT = datetime(2026, 3, 3, 3, 0, tzinfo=UTC)
REASON = "Cơ sở đề nghị thẩm định thực tế lần hai."


def paid_event(items: list[FeeLine], receipt: str = "BL-260303-A1") -> DossierPaid:
    return DossierPaid(payment_id="pay-1", method="online", amount_vnd=sum(item.amount_vnd for item in items),
                       receipt_number=receipt, paid_at=PAID_AT, items=items)


def paid_once(*items: FeeLine, receipt: str = "BL-260303-A1") -> Dossier:
    """Processing again (v8) after the procedure's fee, or `items`, were paid on `receipt`."""
    lines = list(items) or [PROCEDURE_FEE]
    paid = replace(dossier(Status.PAYMENT_REQUESTED, version=7), requested_fees=tuple(lines))
    taken = payment_hand_over.take_back_paid(paid, 7, paid_event(lines, receipt), NOW)
    return replace(taken, status=Status.PROCESSING, version=8)


def test_the_first_request_asks_for_the_procedures_fee_and_remembers_it() -> None:
    asked, [payload] = payment_hand_over.request_payment(dossier(Status.PROCESSING), None, None, PROCEDURE, NOW)
    assert isinstance(payload, PaymentRequested)
    assert (payload.items, payload.amount_vnd, payload.reason) == ([PROCEDURE_FEE], 150_000, None)
    assert (asked.status, asked.version, asked.requested_fees) == (Status.PAYMENT_REQUESTED, 6, (PROCEDURE_FEE,))


def test_the_first_request_may_name_its_items_and_say_why() -> None:
    _, [payload] = payment_hand_over.request_payment(dossier(Status.RECEIVED), [EXPERT_VISIT], f"  {REASON} ",
                                                     PROCEDURE, NOW)
    assert isinstance(payload, PaymentRequested)
    assert (payload.items, payload.reason) == ([EXPERT_VISIT], REASON)


def test_paid_is_taken_back_with_what_it_paid_and_the_receipt() -> None:
    asked, _ = payment_hand_over.request_payment(dossier(Status.PROCESSING), None, None, PROCEDURE, NOW)
    taken = payment_hand_over.take_back_paid(asked, 8, paid_event([PROCEDURE_FEE]), NOW)
    assert (taken.status, taken.version, taken.requested_fees) == (Status.PAID, 8, ())
    assert taken.paid_fees == (PaidFee(payment_id="pay-1", method="online", items=(PROCEDURE_FEE,),
                                       amount_vnd=150_000, receipt_number="BL-260303-A1", paid_at=PAID_AT),)


def test_a_hand_back_without_items_pays_what_processing_asked_for() -> None:
    """From a payment release before `dossier.paid` listed the items."""
    asked, _ = payment_hand_over.request_payment(dossier(Status.PROCESSING), None, None, PROCEDURE, NOW)
    taken = payment_hand_over.take_back_paid(asked, 8, paid_event([]), NOW)
    assert [paid.items for paid in taken.paid_fees] == [(PROCEDURE_FEE,)]


def test_paid_for_a_dossier_processing_holds_is_out_of_turn() -> None:
    with pytest.raises(PaidOutOfTurn):
        payment_hand_over.take_back_paid(dossier(Status.PROCESSING), 8, paid_event([PROCEDURE_FEE]), NOW)


@pytest.mark.parametrize("reason", [None, REASON])
def test_the_procedures_fee_is_not_asked_again_once_paid(reason: str | None) -> None:
    with pytest.raises(FeeAlreadyPaid) as refused:
        payment_hand_over.request_payment(paid_once(), None, reason, PROCEDURE, NOW)
    assert (refused.value.code, refused.value.http_status) == ("fee_already_paid", 409)
    assert refused.value.message == ("Phí, lệ phí của thủ tục đã được thanh toán; chỉ có thể yêu cầu thu thêm "
                                     "khoản phí bổ sung với lý do.")


@pytest.mark.parametrize("again", [
    PROCEDURE_FEE,
    # Typed again by hand: other case and spacing, the same item.
    FeeLine(kind="phi", name="phí thẩm định  cấp lại giấy phép hành nghề ", amount_vnd=150_000),
    FeeLine(kind="phi", name=unicodedata.normalize("NFD", PROCEDURE_FEE.name), amount_vnd=150_000),
], ids=["identical", "retyped", "decomposed-accents"])
def test_an_item_paid_already_is_refused_even_beside_a_new_one(again: FeeLine) -> None:
    with pytest.raises(FeeItemAlreadyPaid) as refused:
        payment_hand_over.request_payment(paid_once(), [EXPERT_VISIT, again], REASON, PROCEDURE, NOW)
    assert (refused.value.code, refused.value.http_status) == ("fee_item_already_paid", 409)
    assert refused.value.details["fields"] == {"items.1": "Khoản này đã được thanh toán (biên lai BL-260303-A1)."}
    assert again.name in refused.value.message and "BL-260303-A1" in refused.value.message


def test_only_paid_items_are_refused_too() -> None:
    with pytest.raises(FeeItemAlreadyPaid):
        payment_hand_over.request_payment(paid_once(), [PROCEDURE_FEE], REASON, PROCEDURE, NOW)


@pytest.mark.parametrize("reason", [None, "   "])
def test_an_additional_fee_needs_a_reason(reason: str | None) -> None:
    with pytest.raises(AdditionalFeeReasonRequired) as refused:
        payment_hand_over.request_payment(paid_once(), [EXPERT_VISIT], reason, PROCEDURE, NOW)
    assert (refused.value.code, refused.value.http_status) == ("validation_error", 422)
    assert set(refused.value.details["fields"]) == {"reason"}


def test_an_additional_fee_with_its_reason_is_asked_and_both_requests_stay_paid() -> None:
    """Same kind and name at another amount is another item (a second visit costs what it costs)."""
    second_visit = PROCEDURE_FEE.model_copy(update={"amount_vnd": 200_000})
    asked, [payload] = payment_hand_over.request_payment(paid_once(), [EXPERT_VISIT, second_visit], REASON,
                                                         PROCEDURE, NOW)
    assert isinstance(payload, PaymentRequested)
    assert (payload.items, payload.amount_vnd, payload.reason, payload.from_status) == (
        [EXPERT_VISIT, second_visit], 700_000, REASON, Status.PROCESSING)
    taken = payment_hand_over.take_back_paid(asked, 11, paid_event([EXPERT_VISIT, second_visit], "BL-2"), NOW)
    assert [paid.receipt_number for paid in taken.paid_fees] == ["BL-260303-A1", "BL-2"]
    # Now neither request's items can be asked for again.
    for item in (PROCEDURE_FEE, EXPERT_VISIT):
        with pytest.raises(FeeItemAlreadyPaid):
            payment_hand_over.request_payment(replace(taken, status=Status.PROCESSING), [item], REASON,
                                              PROCEDURE, NOW)


def test_nothing_to_pay_and_not_now_are_refused_before_and_after_payment() -> None:
    free = FeeLine(kind="le_phi", name="Lệ phí miễn", amount_vnd=0)
    for record in (dossier(Status.PROCESSING), paid_once()):
        with pytest.raises(NothingToPay):
            payment_hand_over.request_payment(record, [free], REASON, PROCEDURE, NOW)
    for status in (Status.SUBMITTED, Status.PAID, Status.PAYMENT_REQUESTED):
        with pytest.raises(TransitionNotAllowed):
            payment_hand_over.request_payment(replace(paid_once(), status=status), [EXPERT_VISIT], REASON,
                                              PROCEDURE, NOW)


@pytest.mark.parametrize(("requested_on", "due"), [
    (date(2026, 3, 3), date(2026, 3, 10)),  # a Tuesday: the next Tuesday
    (date(2026, 3, 6), date(2026, 3, 13)),  # a Friday: the weekend does not count
    (date(2026, 2, 13), date(2026, 2, 27)),  # before Tết: its days off do not count
    (date(2026, 4, 28), date(2026, 5, 7)),  # 30/4 and 1/5 neither
])
def test_the_payment_deadline_is_counted_in_working_days(requested_on: date, due: date) -> None:
    assert payment_hand_over.payment_deadline(requested_on, load_calendar(None), 5) == due


def test_the_request_names_its_deadline() -> None:
    record = dossier(Status.PROCESSING, version=4)
    _, [requested] = payment_hand_over.request_payment(record, None, None, PROCEDURE, NOW, date(2026, 3, 10))
    assert isinstance(requested, PaymentRequested) and requested.pay_by == date(2026, 3, 10)

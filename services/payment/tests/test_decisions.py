"""Payment's pure decisions: taking a request over, the citizen's choice, settling, staff confirmation."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from services.payment.domain import paying, requests, settling
from services.payment.domain.payment_request import PaymentRequest
from services.payment.domain.reports import ProviderReport
from services.payment.errors import CallbackRefused, PaymentInProgress, PaymentNotRequested, RequestOutOfTurn
from shared.errors import TransitionNotAllowed
from shared.payments import DossierPaid, FeeLine, PaymentCompleted, PaymentFailed, PaymentRequested, PaymentStarted
from shared.statuses import Status

NOW = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)
ITEMS = [FeeLine(kind="phi", name="Phí thẩm định", amount_vnd=100_000),
         FeeLine(kind="le_phi", name="Lệ phí", amount_vnd=50_000)]
REQUESTED = PaymentRequested(from_status="processing", items=ITEMS, amount_vnd=150_000, procedure_code="SYT-KCB-01",
                             owner_id="citizen-1")


def request() -> PaymentRequest:
    return requests.take_new_request("d-1", 5, REQUESTED, NOW)


def online(n: int = 1, minutes: int = 15) -> paying.NewPayment:
    return paying.NewPayment(id=f"p-{n}", provider="sandbox", reference=f"REF{n}",
                             expires_at=NOW + timedelta(minutes=minutes))


def started(record: PaymentRequest, method: str = "online", new: paying.NewPayment | None = None,
            now: datetime = NOW) -> PaymentRequest:
    decided = paying.choose_how_to_pay(record, method, new or online(), now)  # type: ignore[arg-type]
    assert decided is not None
    return decided[0]


def report(reference: str = "REF1", outcome: str = "paid", amount: int = 150_000) -> ProviderReport:
    return ProviderReport(reference=reference, amount_vnd=amount, outcome=outcome,  # type: ignore[arg-type]
                          provider_code=outcome, provider_transaction_id="T-1")


def test_a_request_is_taken_over_at_its_version() -> None:
    record = request()
    assert (record.status, record.version, record.requested_version, record.amount_vnd) == (
        Status.PAYMENT_REQUESTED, 5, 5, 150_000)
    assert record.items == tuple(ITEMS) and record.held
    assert requests.is_stale_request(record, 5) and not requests.is_stale_request(record, 6)
    with pytest.raises(RequestOutOfTurn):
        requests.take_request_again(record, 9, REQUESTED, NOW)


def test_a_paid_dossier_asked_to_pay_again_gets_a_new_request_and_keeps_its_payments() -> None:
    paid, _ = settling.settle_report(started(request()), report(), "BL-1", NOW) or (None, None)
    assert paid is not None and paid.reason is None
    additional = [FeeLine(kind="phi", name="Phí thẩm định thực tế", amount_vnd=500_000)]
    asked = REQUESTED.model_copy(update={"items": additional, "amount_vnd": 500_000, "reason": "Thẩm định lần hai"})
    again = requests.take_request_again(replace(paid, version=8), 9, asked, NOW)
    assert (again.status, again.version, again.requested_version) == (Status.PAYMENT_REQUESTED, 9, 9)
    assert (again.items, again.amount_vnd, again.reason) == (tuple(additional), 500_000, "Thẩm định lần hai")
    assert again.current() == () and len(again.payments) == 1


def test_choosing_online_opens_a_checkout_once() -> None:
    record = request()
    decided = paying.choose_how_to_pay(record, "online", online(), NOW)
    assert decided is not None
    changed, [payload] = decided
    assert isinstance(payload, PaymentStarted)
    assert (payload.method, payload.amount_vnd, payload.provider, changed.version) == ("online", 150_000, "sandbox", 6)
    [payment] = changed.payments
    assert (payment.reference, payment.state, payment.request_version) == ("REF1", "pending", 5)
    # While it is open: the same checkout for online, no other way of paying.
    assert paying.choose_how_to_pay(changed, "online", online(2), NOW + timedelta(minutes=14)) is None
    with pytest.raises(PaymentInProgress):
        paying.choose_how_to_pay(changed, "at_office", online(2), NOW)
    # Once it has expired, a new checkout; the old one may still be reported paid.
    renewed = started(changed, new=online(2), now=NOW + timedelta(minutes=15))
    assert [p.state for p in renewed.payments] == ["pending", "pending"] and renewed.version == 7


def test_an_office_or_postal_choice_is_replaced_by_another() -> None:
    at_office = started(request(), "at_office", paying.NewPayment(id="p-1"))
    assert at_office.payments[0].reference is None and at_office.version == 6
    assert paying.choose_how_to_pay(at_office, "at_office", paying.NewPayment(id="p-2"), NOW) is None
    postal = started(at_office, "postal", paying.NewPayment(id="p-2"))
    then_online = started(postal, "online", online(3))
    assert [(p.method, p.state) for p in then_online.payments] == [
        ("at_office", "superseded"), ("postal", "superseded"), ("online", "pending")]


@pytest.mark.parametrize("status", [Status.PAID, Status.PROCESSING])
def test_nothing_to_pay_once_handed_back(status: Status) -> None:
    with pytest.raises(PaymentNotRequested):
        paying.choose_how_to_pay(replace(request(), status=status), "online", online(), NOW)


def test_a_paid_report_settles_the_request_and_hands_it_back() -> None:
    decided = settling.settle_report(started(request()), report(), "BL-1", NOW)
    assert decided is not None
    paid, [handed_back, completed] = decided
    assert (paid.status, paid.version) == (Status.PAID, 7)
    assert isinstance(handed_back, DossierPaid) and isinstance(completed, PaymentCompleted)
    assert (handed_back.receipt_number, handed_back.amount_vnd, completed.provider_transaction_id) == (
        "BL-1", 150_000, "T-1")
    assert handed_back.items == ITEMS  # what was paid, for processing to keep
    assert settling.settle_report(paid, report(), "BL-2", NOW) is None  # the same report again: a duplicate
    for contradiction in (report(outcome="failed"), report(outcome="cancelled")):
        with pytest.raises(CallbackRefused) as refused:
            settling.settle_report(paid, contradiction, "BL-2", NOW)
        assert refused.value.reason == "replayed"


@pytest.mark.parametrize(("wrong", "reason"), [(report(amount=1), "amount_mismatch"),
                                               (report(reference="NOPE"), "unknown_reference")])
def test_a_wrong_report_is_refused(wrong: ProviderReport, reason: str) -> None:
    with pytest.raises(CallbackRefused) as refused:
        settling.settle_report(started(request()), wrong, "BL-1", NOW)
    assert refused.value.reason == reason


def test_a_failed_report_is_told_while_payment_holds_the_dossier_and_only_recorded_after() -> None:
    record = started(started(request()), new=online(2), now=NOW + timedelta(minutes=20))  # two pending, v7
    decided = settling.settle_report(record, report("REF1", "failed"), "BL-1", NOW)
    assert decided is not None and isinstance(decided[1][0], PaymentFailed) and decided[0].version == 8
    paid, _ = settling.settle_report(decided[0], report("REF2"), "BL-2", NOW) or (None, None)
    assert paid is not None and paid.status is Status.PAID
    # Another request's payment or a dossier handed back: recorded, nothing published, no version taken.
    late = started(replace(paid, status=Status.PAYMENT_REQUESTED), new=online(3), now=NOW + timedelta(hours=1))
    handed_back = replace(late, status=Status.PAID)
    quiet = settling.settle_report(handed_back, report("REF3", "failed"), "BL-3", NOW)
    assert quiet is not None and quiet[1] == [] and quiet[0].version == handed_back.version
    with pytest.raises(CallbackRefused):  # paid, yet paid already: a refund for staff, not a second payment
        settling.settle_report(handed_back, report("REF3"), "BL-3", NOW)


def test_staff_confirm_the_citizens_choice_or_record_the_payment() -> None:
    chosen = started(request(), "postal", paying.NewPayment(id="p-1"))
    paid, [handed_back, _] = settling.confirm_received(chosen, "postal", "0001234", "p-2", NOW)
    assert [(p.id, p.state, p.receipt_number) for p in paid.payments] == [("p-1", "paid", "0001234")]
    assert isinstance(handed_back, DossierPaid) and handed_back.method == "postal" and paid.version == 7
    assert handed_back.items == ITEMS
    otherwise, _ = settling.confirm_received(chosen, "at_office", "0001235", "p-2", NOW)
    assert [(p.method, p.state) for p in otherwise.payments] == [("postal", "superseded"), ("at_office", "paid")]
    with pytest.raises(TransitionNotAllowed):
        settling.confirm_received(paid, "at_office", "0001236", "p-3", NOW)

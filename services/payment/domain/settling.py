"""Settling a payment (ghi nhận kết quả thanh toán): a provider's verified report, or staff confirming money
received at the office or by post. Pure decisions, no I/O.

A completed payment hands the dossier back to processing (`dossier.paid`, the next version) and tells
accounting (`payment.completed`), in one change. A report on a payment already settled the same way is a
duplicate (nothing changes); one that contradicts how it was settled is a replay, refused.
"""

from dataclasses import replace
from datetime import datetime

from services.payment.domain.payment_request import OFFLINE, OfflineMethod, Payment, PaymentRequest
from services.payment.domain.reports import ProviderReport
from services.payment.errors import CallbackRefused
from shared.holder.write import Change
from shared.payments import DossierPaid, PaymentCompleted, PaymentFailed
from shared.statuses import Status, ensure_can_move


def settle_report(
    record: PaymentRequest, report: ProviderReport, receipt_number: str, now: datetime,
) -> Change[PaymentRequest] | None:
    """Apply a provider's report on one of the record's online payments; None for a duplicate."""
    payment = record.by_reference(report.reference)
    if payment is None:
        raise CallbackRefused("unknown_reference", report.reference)
    if report.amount_vnd != payment.amount_vnd:
        raise CallbackRefused("amount_mismatch", report.reference)
    if payment.state != "pending":
        if payment.state == report.outcome:
            return None
        raise CallbackRefused("replayed", report.reference)
    settled = replace(payment, settled_at=now, provider_code=report.provider_code,
                      provider_transaction_id=report.provider_transaction_id)
    of_the_open_request = record.held and payment.request_version == record.requested_version
    if report.outcome == "paid":
        if not of_the_open_request:
            # Paid once already (another way, or an earlier request): this one is for staff to refund.
            raise CallbackRefused("replayed", report.reference)
        return _paid(record, replace(settled, state="paid", receipt_number=receipt_number), now)
    failed = replace(settled, state=report.outcome)
    if not of_the_open_request:
        # Payment no longer holds the dossier (or this request is not the open one): record it, say nothing.
        return Change(record.next_revision(now, payments=record.with_payments(failed)), [])
    changed = record.next_revision(now, version=record.version + 1, payments=record.with_payments(failed))
    return Change(changed, [PaymentFailed(payment_id=failed.id, method=failed.method, provider=failed.provider,
                                          provider_code=failed.provider_code)])


def confirm_received(record: PaymentRequest, method: OfflineMethod, receipt_number: str, new_id: str,
                     now: datetime) -> Change[PaymentRequest]:
    """Staff received the money at the office or by post (xác nhận đã thu phí), with the receipt (biên lai).

    The citizen's matching choice is the payment confirmed; without one, the payment is recorded now.
    """
    ensure_can_move(record.status, Status.PAID)
    chosen = next((payment for payment in record.current()
                   if payment.state == "pending" and payment.method == method), None)
    if chosen is None:
        chosen = Payment(id=new_id, request_version=record.requested_version, method=method,
                         amount_vnd=record.amount_vnd, state="pending", started_at=now)
    return _paid(record, replace(chosen, state="paid", settled_at=now, receipt_number=receipt_number), now)


def _paid(record: PaymentRequest, payment: Payment, now: datetime) -> Change[PaymentRequest]:
    """The request is paid: the dossier goes back to processing; other offline choices are superseded."""
    assert payment.receipt_number is not None and payment.settled_at is not None
    replaced = [replace(other, state="superseded", settled_at=now) for other in record.current()
                if other.id != payment.id and other.state == "pending" and other.method in OFFLINE]
    changed = record.next_revision(now, status=Status.PAID, version=record.version + 1,
                                   payments=record.with_payments(*replaced, payment))
    return Change(changed, [
        # With the items paid, so that processing knows them for good: a fee paid is never asked again.
        DossierPaid(payment_id=payment.id, method=payment.method, amount_vnd=payment.amount_vnd,
                    receipt_number=payment.receipt_number, paid_at=payment.settled_at, items=list(record.items)),
        PaymentCompleted(payment_id=payment.id, dossier_id=record.id, method=payment.method,
                         amount_vnd=payment.amount_vnd, receipt_number=payment.receipt_number,
                         paid_at=payment.settled_at, provider=payment.provider,
                         provider_transaction_id=payment.provider_transaction_id),
    ])

"""How payment's events change a dossier's document: the request (yêu cầu thanh toán), the citizen's choice
of how to pay, a failed online payment, and the payment completed (đã thanh toán) with its receipt."""

from typing import Any

from services.query.domain.dates import stored_time
from services.query.domain.document import Document, change_status, read
from shared.messages import Envelope
from shared.payments import DossierPaid, PaymentFailed, PaymentRequested, PaymentStarted

# How the citizen may pay (hình thức thanh toán): online through a bank, at the Department, by post.
METHODS = ("online", "at_office", "postal")


def apply_payment_requested(document: Document, event: Envelope) -> None:
    """What to pay and how: the fee items (phí, lệ phí), their total, why, the ways to pay.

    A request after an earlier one (an additional fee) keeps the earlier one, paid, with its receipt."""
    payload = read(PaymentRequested, event)
    if document["payment"] is not None:
        # Absent from a document stored before earlier requests were kept.
        document["earlier_payments"] = [*document.get("earlier_payments", []), document["payment"]]
    document["payment"] = {
        "state": "requested", "amount_vnd": payload.amount_vnd,
        "items": [item.model_dump(mode="json") for item in payload.items], "reason": payload.reason,
        "methods": list(METHODS), "method": None, "provider": None, "payment_id": None, "receipt_number": None,
        "paid_at": None, "requested_at": stored_time(event.occurred_at),
        # BSON has no date without a time: the day is kept as ISO text, as the due date is.
        "pay_by": payload.pay_by.isoformat() if payload.pay_by else None,
    }
    change_status(document, event, payload)


def apply_payment_started(document: Document, event: Envelope) -> None:
    """The citizen chose how to pay: online, a checkout is open; at the office or by post, staff confirm it."""
    payload = read(PaymentStarted, event)
    _payment(document).update(state="pending", method=payload.method, provider=payload.provider,
                              payment_id=payload.payment_id, amount_vnd=payload.amount_vnd)


def apply_payment_failed(document: Document, event: Envelope) -> None:
    """An online payment was cancelled or refused; only the latest one says how the payment stands."""
    payload = read(PaymentFailed, event)
    payment = _payment(document)
    if payment.get("payment_id") in (None, payload.payment_id):
        payment["state"] = "failed"


def apply_dossier_paid(document: Document, event: Envelope) -> None:
    """Paid (đã thanh toán): how, the receipt number (số biên lai) and when; processing holds it again."""
    payload = read(DossierPaid, event)
    _payment(document).update(state="paid", method=payload.method, payment_id=payload.payment_id,
                              amount_vnd=payload.amount_vnd, receipt_number=payload.receipt_number,
                              paid_at=stored_time(payload.paid_at))
    change_status(document, event, payload)


def _payment(document: Document) -> dict[str, Any]:
    if document["payment"] is None:
        document["payment"] = {"state": "requested", "amount_vnd": None, "items": [], "reason": None,
                               "methods": list(METHODS), "method": None, "provider": None, "payment_id": None,
                               "receipt_number": None, "paid_at": None}
    payment: dict[str, Any] = document["payment"]
    return payment

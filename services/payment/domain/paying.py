"""The citizen chooses how to pay (hình thức thanh toán): online, at the office, or by post. Pure, no I/O."""

from dataclasses import dataclass, replace
from datetime import datetime

from services.payment.domain.payment_request import OFFLINE, Payment, PaymentRequest
from services.payment.errors import PaymentInProgress, PaymentNotRequested
from shared.holder.write import Change
from shared.payments import PaymentMethod, PaymentStarted


@dataclass(frozen=True)
class NewPayment:
    """What a new payment is given before the decision: its id and, online, the provider and its reference."""

    id: str
    provider: str | None = None
    reference: str | None = None
    expires_at: datetime | None = None


def standing_payment(record: PaymentRequest, method: PaymentMethod, now: datetime) -> Payment | None:
    """The payment already open for this way of paying: an online checkout not yet expired, or the same
    choice to pay at the office or by post made before."""
    for payment in reversed(record.current()):
        if payment.method == method and payment.open_at(now):
            return payment
    return None


def choose_how_to_pay(
    record: PaymentRequest, method: PaymentMethod, new: NewPayment, now: datetime,
) -> Change[PaymentRequest] | None:
    """Start paying `method`; None when the payment standing for it stays the answer (nothing changes).

    An open online checkout may end in a payment at any moment, so no other way is opened beside it. A
    choice to pay at the office or by post only says how the money will come: another choice replaces it.
    """
    if not record.held:
        raise PaymentNotRequested(status=record.status)
    open_online = standing_payment(record, "online", now)
    if open_online is not None and method != "online":
        raise PaymentInProgress(payment_id=open_online.id)
    if standing_payment(record, method, now) is not None:
        return None
    replaced = [replace(payment, state="superseded", settled_at=now) for payment in record.current()
                if payment.state == "pending" and payment.method in OFFLINE]
    online = method == "online"
    payment = Payment(
        id=new.id, request_version=record.requested_version, method=method, amount_vnd=record.amount_vnd,
        state="pending", started_at=now, provider=new.provider if online else None,
        reference=new.reference if online else None, expires_at=new.expires_at if online else None)
    changed = record.next_revision(now, version=record.version + 1,
                                   payments=record.with_payments(*replaced, payment))
    return Change(changed, [PaymentStarted(payment_id=payment.id, method=method, amount_vnd=payment.amount_vnd,
                                           provider=payment.provider)])

"""Recalling the payments settled before processing kept the fees paid (`payment.paid_recalled`). Pure.

A payment release before `dossier.paid` carried the items paid left processing with no record of any fee
paid: asked for the default request, it would ask for the procedure's fee again. Payment still has every
payment it settled, so, once per record stored before, it tells processing which (and, for the latest
request, the items). A record stored since is recalled already: `dossier.paid` told processing.
"""

from datetime import datetime

from services.payment.domain.payment_request import PaymentRequest
from shared.holder.write import Change
from shared.payments import PaidFeesRecalled, RecalledPayment


def recall_paid(record: PaymentRequest, now: datetime) -> Change[PaymentRequest] | None:
    """The record marked recalled, with the event naming its settled payments; None once recalled."""
    if record.paid_recalled:
        return None
    settled = [RecalledPayment(
        payment_id=payment.id, method=payment.method, amount_vnd=payment.amount_vnd,
        receipt_number=payment.receipt_number, paid_at=payment.settled_at,
        # The record keeps the items of its latest request only.
        items=list(record.items) if payment.request_version == record.requested_version else [])
        for payment in record.payments
        if payment.state == "paid" and payment.receipt_number is not None and payment.settled_at is not None]
    recalled = record.next_revision(now, paid_recalled=True)
    return Change(recalled, [PaidFeesRecalled(dossier_id=record.id, payments=settled)] if settled else [])

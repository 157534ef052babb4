"""Handing the dossier to payment (yêu cầu thanh toán) and taking it back once paid (đã thanh toán).

Pure decisions over `Dossier`, no I/O. Payment holds the dossier in between; its events carry the versions
it sets, and `dossier.paid` brings the dossier back at the version payment reached.

A fee paid stays paid: the record keeps every request paid, and a dossier paid before is only asked for an
additional fee (khoản phí bổ sung), naming items none of which was paid already, with the reason for it.
"""

import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from services.processing.domain.dossier import Dossier, PaidFee, WorkingDays
from services.processing.errors import (
    AdditionalFeeReasonRequired,
    FeeAlreadyPaid,
    FeeItemAlreadyPaid,
    NothingToPay,
    PaidOutOfTurn,
)
from shared.holder.write import Change
from shared.payments import DossierPaid, FeeLine, PaidFeesRecalled, PaymentRequested
from shared.procedures import Procedure
from shared.statuses import Status, ensure_can_move


def procedure_fee_lines(procedure: Procedure) -> list[FeeLine]:
    """The procedure's fee items (phí, lệ phí) as the lines of a payment request."""
    return [FeeLine(kind=item.kind, name=item.name, amount_vnd=item.amount_vnd) for item in procedure.fee_items]


def payment_deadline(today: date, calendar: WorkingDays, payment_days: int) -> date:
    """Hạn nộp: the day a fee paid at the office or by post is due, `payment_days` working days after today
    (the day of the request does not count, as for due dates)."""
    return calendar.add_working_days(today, payment_days)


def request_payment(dossier: Dossier, items: Sequence[FeeLine] | None, reason: str | None, procedure: Procedure,
                    now: datetime, pay_by: date | None = None) -> Change[Dossier]:
    """Ask the citizen to pay and hand the dossier to payment, which holds it until it is paid.

    Without `items`, the procedure's fee items, only while nothing has been paid; after that, an additional
    fee (`additional_fee_lines`). `reason` says why; it is needed only for an additional fee. `pay_by` is the
    deadline the request names (`payment_deadline`).
    """
    ensure_can_move(dossier.status, Status.PAYMENT_REQUESTED)
    reason = (reason or "").strip() or None  # a reason of blanks says nothing
    if dossier.paid_before:
        lines = additional_fee_lines(dossier, items, reason)
    else:
        lines = list(items) if items is not None else procedure_fee_lines(procedure)
    amount = sum(item.amount_vnd for item in lines)
    if not lines or amount <= 0:
        raise NothingToPay(procedure_code=dossier.procedure_code)
    handed = replace(dossier, status=Status.PAYMENT_REQUESTED, version=dossier.version + 1, updated_at=now,
                     requested_fees=tuple(lines))
    return Change(handed, [PaymentRequested(
        from_status=dossier.status, reason=reason, items=lines, amount_vnd=amount,
        procedure_code=dossier.procedure_code, owner_id=dossier.owner_id,
        lookup_code=dossier.lookup_code, pay_by=pay_by)])


def additional_fee_lines(dossier: Dossier, items: Sequence[FeeLine] | None, reason: str | None) -> list[FeeLine]:
    """The lines of an additional fee on a dossier paid before: named, none paid already, and with a reason.

    Checked in that order, so that the refusal says first what cannot be asked at all."""
    if items is None:
        raise FeeAlreadyPaid(receipt_numbers=[paid.receipt_number for paid in dossier.paid_fees])
    receipts = paid_receipts(dossier)
    already = {index: (item.name, receipts[fee_key(item)]) for index, item in enumerate(items)
               if fee_key(item) in receipts}
    if already:
        raise FeeItemAlreadyPaid(already)
    if reason is None:
        raise AdditionalFeeReasonRequired()
    return list(items)


def paid_receipts(dossier: Dossier) -> dict[tuple[str, str, int], str]:
    """Each item paid (by `fee_key`) and the receipt number (số biên lai) it was paid on, the first if several."""
    receipts: dict[tuple[str, str, int], str] = {}
    for paid in dossier.paid_fees:
        for item in paid.items:
            receipts.setdefault(fee_key(item), paid.receipt_number)
    return receipts


def fee_key(item: FeeLine) -> tuple[str, str, int]:
    """What makes two fee items the same: kind, name and amount.

    The name is compared without case or extra spaces, and with its accents composed one way: a paid item
    typed again by hand, "phí  thẩm định" for "Phí thẩm định", or by a keyboard that writes "í" as "i" and a
    combining accent, is still the same item."""
    name = " ".join(unicodedata.normalize("NFC", item.name).split()).casefold()
    return item.kind, name, item.amount_vnd


def recalled_fees(dossier: Dossier, recalled: PaidFeesRecalled) -> list[PaidFee]:
    """The payments payment recalled that the dossier does not know yet (by payment id), as fees paid."""
    known = {paid.payment_id for paid in dossier.paid_fees}
    return [PaidFee(payment_id=payment.payment_id, method=payment.method, items=tuple(payment.items),
                    amount_vnd=payment.amount_vnd, receipt_number=payment.receipt_number, paid_at=payment.paid_at)
            for payment in recalled.payments if payment.payment_id not in known]


def is_stale_hand_back(dossier: Dossier, version: int) -> bool:
    """A redelivered or older `dossier.paid`: processing already holds this version or a later one."""
    return version <= dossier.version


def take_back_paid(dossier: Dossier, version: int, paid: DossierPaid, now: datetime) -> Dossier:
    """The dossier payment handed back, paid, at the version payment reached (its own events came between),
    with the request paid added to those paid before."""
    if dossier.status is not Status.PAYMENT_REQUESTED:
        raise PaidOutOfTurn(status=dossier.status, version=version, payment_id=paid.payment_id)
    # Payment pays the request processing made; an older payment release does not list its items.
    items = tuple(paid.items) or dossier.requested_fees
    settled = PaidFee(payment_id=paid.payment_id, method=paid.method, items=items, amount_vnd=paid.amount_vnd,
                      receipt_number=paid.receipt_number, paid_at=paid.paid_at)
    return replace(dossier, status=Status.PAID, version=version, updated_at=now, requested_fees=(),
                   paid_fees=(*dossier.paid_fees, settled))

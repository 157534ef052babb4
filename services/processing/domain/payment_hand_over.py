"""Handing the dossier to payment (yêu cầu thanh toán) and taking it back once paid (đã thanh toán).

Pure decisions over `Dossier`, no I/O. Payment holds the dossier in between; its events carry the versions
it sets, and `dossier.paid` brings the dossier back at the version payment reached.
"""

from dataclasses import replace
from datetime import datetime

from services.processing.domain.dossier import Dossier
from services.processing.errors import NothingToPay, PaidOutOfTurn
from shared.holder.write import Change
from shared.payments import DossierPaid, FeeLine, PaymentRequested
from shared.procedures import Procedure
from shared.statuses import Status, ensure_can_move


def procedure_fee_lines(procedure: Procedure) -> list[FeeLine]:
    """The procedure's fee items (phí, lệ phí) as the lines of a payment request."""
    return [FeeLine(kind=item.kind, name=item.name, amount_vnd=item.amount_vnd) for item in procedure.fee_items]


def request_payment(dossier: Dossier, items: list[FeeLine], now: datetime) -> Change[Dossier]:
    """Ask the citizen to pay `items` and hand the dossier to payment, which holds it until it is paid."""
    ensure_can_move(dossier.status, Status.PAYMENT_REQUESTED)
    amount = sum(item.amount_vnd for item in items)
    if not items or amount <= 0:
        raise NothingToPay(procedure_code=dossier.procedure_code)
    handed = replace(dossier, status=Status.PAYMENT_REQUESTED, version=dossier.version + 1, updated_at=now)
    return Change(handed, [PaymentRequested(
        from_status=dossier.status, items=items, amount_vnd=amount, procedure_code=dossier.procedure_code,
        owner_id=dossier.owner_id, owner_email=dossier.owner_email)])


def is_stale_hand_back(dossier: Dossier, version: int) -> bool:
    """A redelivered or older `dossier.paid`: processing already holds this version or a later one."""
    return version <= dossier.version


def take_back_paid(dossier: Dossier, version: int, paid: DossierPaid, now: datetime) -> Dossier:
    """The dossier payment handed back, paid, at the version payment reached (its own events came between)."""
    if dossier.status is not Status.PAYMENT_REQUESTED:
        raise PaidOutOfTurn(status=dossier.status, version=version, payment_id=paid.payment_id)
    return replace(dossier, status=Status.PAID, version=version, updated_at=now)

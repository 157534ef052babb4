"""Taking over a payment request (yêu cầu thanh toán) processing hands over. Pure decisions, no I/O."""

from datetime import datetime

from services.payment.domain.payment_request import PaymentRequest
from services.payment.errors import RequestOutOfTurn
from shared.payments import PaymentRequested
from shared.statuses import Status


def take_new_request(dossier_id: str, version: int, requested: PaymentRequested, now: datetime) -> PaymentRequest:
    """The record of a dossier payment has never seen, at the version processing handed it over."""
    return PaymentRequest(
        id=dossier_id, owner_id=requested.owner_id, procedure_code=requested.procedure_code,
        status=Status.PAYMENT_REQUESTED, version=version, requested_version=version, items=tuple(requested.items),
        amount_vnd=requested.amount_vnd, reason=requested.reason, requested_at=now, updated_at=now,
        lookup_code=requested.lookup_code)


def is_stale_request(record: PaymentRequest, version: int) -> bool:
    """A redelivered or older request: payment already knows this version or a later one."""
    return version <= record.version


def take_request_again(record: PaymentRequest, version: int, requested: PaymentRequested,
                       now: datetime) -> PaymentRequest:
    """A dossier paid before and asked to pay again (an additional fee, with its reason): a new request, the
    old payments kept."""
    if record.held:
        raise RequestOutOfTurn(status=record.status, version=version)
    return record.next_revision(
        now, status=Status.PAYMENT_REQUESTED, version=version, requested_version=version,
        owner_id=requested.owner_id, procedure_code=requested.procedure_code, items=tuple(requested.items),
        amount_vnd=requested.amount_vnd, reason=requested.reason, requested_at=now,
        lookup_code=requested.lookup_code or record.lookup_code)

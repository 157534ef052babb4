"""The reaction to processing's `dossier.payment_requested`: payment takes the dossier over (yêu cầu thanh toán).

A dossier seen for the first time gets its record at the event's version; one paid before and asked to
pay again gets a new request, its earlier payments kept. A duplicate or older delivery changes nothing.
"""

from pydantic import ValidationError

from services.payment import requests
from services.payment.errors import DossierBusy, RequestOutOfTurn, VersionConflict
from services.payment.handlers import MAX_ATTEMPTS, Payments
from shared.logging import get_logger
from shared.messages import Envelope
from shared.messaging.port import PermanentFailure
from shared.payments import PaymentRequested

log = get_logger(__name__)


async def when_payment_requested_take_over(payments: Payments, event: Envelope) -> None:
    if event.dossier_id is None or event.version is None:
        raise PermanentFailure(f"dossier.payment_requested {event.id} without a dossier id or version")
    try:
        requested = PaymentRequested.model_validate(event.data)
    except ValidationError as error:
        # The count only: the invalid values may be someone's personal data.
        raise PermanentFailure(f"dossier.payment_requested {event.id}: {error.error_count()} invalid fields") from None
    for _ in range(MAX_ATTEMPTS):
        try:
            await _take_over(payments, event.dossier_id, event.version, requested)
        except VersionConflict:
            continue
        return
    raise DossierBusy(dossier_id=event.dossier_id)


async def _take_over(payments: Payments, dossier_id: str, version: int, requested: PaymentRequested) -> None:
    now = payments.clock()
    known = await payments.requests.get(dossier_id)
    if known is None:
        await payments.requests.add(requests.take_new_request(dossier_id, version, requested, now), [])
        log.info("payment_request_taken_over", dossier_id=dossier_id, version=version,
                 amount_vnd=requested.amount_vnd)
        return
    if requests.is_stale_request(known, version):
        log.info("payment_request_already_known", dossier_id=dossier_id, version=version,
                 known_version=known.version)
        return
    try:
        again = requests.take_request_again(known, version, requested, now)
    except RequestOutOfTurn as refusal:
        raise PermanentFailure(f"{refusal.code}: dossier {dossier_id} v{version} while {known.status}") from None
    await payments.requests.save(again, known.revision, [])
    log.info("payment_requested_again", dossier_id=dossier_id, version=version, amount_vnd=requested.amount_vnd)

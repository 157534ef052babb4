"""The reaction to payment's `dossier.paid`: processing takes the paid dossier back (đã thanh toán).

The dossier is held again at the event's version (payment's own events came between, so the version may
have moved by more than one). A duplicate or older delivery changes nothing.
"""

from pydantic import ValidationError

from services.processing import payments
from services.processing.errors import DossierBusy, PaidOutOfTurn, VersionConflict
from services.processing.handlers import MAX_ATTEMPTS, Processing
from shared.logging import get_logger
from shared.messages import Envelope
from shared.messaging.port import PermanentFailure
from shared.payments import DossierPaid

log = get_logger(__name__)


async def when_dossier_paid_take_back(processing: Processing, event: Envelope) -> None:
    if event.dossier_id is None or event.version is None:
        raise PermanentFailure(f"dossier.paid {event.id} without a dossier id or version")
    try:
        paid = DossierPaid.model_validate(event.data)
    except ValidationError as error:
        raise PermanentFailure(f"dossier.paid {event.id}: {error.error_count()} invalid fields") from None
    for _ in range(MAX_ATTEMPTS):
        try:
            await _take_back(processing, event.dossier_id, event.version, paid)
        except VersionConflict:
            continue
        return
    raise DossierBusy(dossier_id=event.dossier_id)


async def _take_back(processing: Processing, dossier_id: str, version: int, paid: DossierPaid) -> None:
    known = await processing.dossiers.get(dossier_id)
    if known is None:
        # Processing hands every dossier to payment itself: it cannot be unknown here.
        raise PermanentFailure(f"dossier.paid for {dossier_id}, which processing does not hold")
    if payments.is_stale_hand_back(known, version):
        log.info("payment_already_known", dossier_id=dossier_id, version=version, known_version=known.version)
        return
    try:
        taken = payments.take_back_paid(known, version, paid, processing.clock())
    except PaidOutOfTurn as refusal:
        raise PermanentFailure(f"{refusal.code}: dossier {dossier_id} v{version} while {known.status}") from None
    await processing.dossiers.save(taken, known.version, [])
    log.info("dossier_paid_taken_back", dossier_id=dossier_id, version=version, method=paid.method)

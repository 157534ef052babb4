"""The reaction to payment's `dossier.paid`: processing takes the paid dossier back (đã thanh toán).

The dossier is held again at the event's version (payment's own events came between, so the version may
have moved by more than one). A duplicate or older delivery changes nothing.
"""

from services.processing.dependencies import Processing
from services.processing.domain import payment_hand_over
from shared.holder.hand_over import take_hand_over
from shared.logging import get_logger
from shared.messages import Envelope
from shared.messaging.port import PermanentFailure
from shared.payments import DossierPaid

log = get_logger(__name__)


async def when_dossier_paid_take_back(processing: Processing, event: Envelope) -> None:
    async def take(dossier_id: str, version: int, paid: DossierPaid) -> None:
        known = await processing.dossiers.get(dossier_id)
        if known is None:
            # Processing hands every dossier to payment itself: it cannot be unknown here.
            raise PermanentFailure(f"dossier.paid for {dossier_id}, which processing does not hold")
        if payment_hand_over.is_stale_hand_back(known, version):
            log.info("payment_already_known", dossier_id=dossier_id, version=version, known_version=known.version)
            return
        taken = payment_hand_over.take_back_paid(known, version, paid, processing.clock())
        await processing.dossiers.save(taken, known.revision, [])
        log.info("dossier_paid_taken_back", dossier_id=dossier_id, version=version, method=paid.method)

    await take_hand_over(event, DossierPaid, take)

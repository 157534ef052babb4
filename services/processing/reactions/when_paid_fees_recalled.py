"""The reaction to payment's `payment.paid_recalled`: processing backfills the fees paid before it kept them.

Without them a dossier paid before that release would be asked for the procedure's fee again; with them the
default payment request is refused (`fee_already_paid`) as for any dossier paid since. Idempotent: a
payment known already (kept, or recalled before) is not added again.
"""

from typing import cast

from services.processing.dependencies import Processing
from services.processing.domain import payment_hand_over
from shared.logging import get_logger
from shared.messages import Envelope
from shared.payments import PaidFeesRecalled
from shared.producers import read_event

log = get_logger(__name__)

RECALLED = frozenset({"payment.paid_recalled"})


async def when_paid_fees_recalled_backfill(processing: Processing, event: Envelope) -> None:
    # Only payment's (shared/producers.py): anyone else's is dead-lettered.
    recalled = cast(PaidFeesRecalled, read_event(event, RECALLED))
    known = await processing.dossiers.get(recalled.dossier_id)
    if known is None:
        # Payment only ever held dossiers processing handed it: a record processing lost has nothing to fix.
        log.warning("paid_fees_recalled_for_unknown_dossier", dossier_id=recalled.dossier_id)
        return
    fees = payment_hand_over.recalled_fees(known, recalled)
    added = bool(fees) and await processing.dossiers.add_recalled_paid_fees(known.id, fees)
    log.info("paid_fees_recalled", dossier_id=known.id, added=len(fees) if added else 0)

"""At start: recall, to processing, the payments settled on records stored before it kept the fees paid."""

from services.payment.dependencies import Payments
from services.payment.domain import recalling
from services.payment.domain.payment_request import PaymentRequest
from shared.holder.write import Change, write_change
from shared.logging import get_logger
from shared.messages import SYSTEM

log = get_logger(__name__)


async def recall_paid_fees(payments: Payments) -> None:
    """Once per such record, whichever replica gets there first (the write is conditional on its revision,
    and a record recalled already decides nothing): nothing to do on every start after the first."""
    dossier_ids = await payments.requests.to_recall()
    for dossier_id in dossier_ids:
        async def decide(record: PaymentRequest) -> Change[PaymentRequest] | None:
            return recalling.recall_paid(record, payments.clock())

        await write_change(payments.requests, dossier_id, decide, producer="payment", actor=SYSTEM,
                           published=payments.published)
    if dossier_ids:
        log.info("paid_fees_recalled", count=len(dossier_ids))

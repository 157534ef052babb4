"""The reaction to processing's `dossier.payment_requested`: payment takes the dossier over (yêu cầu thanh toán).

A dossier seen for the first time gets its record at the event's version; one paid before and asked to
pay again gets a new request, its earlier payments kept. A duplicate or older delivery changes nothing.
"""

from services.payment.dependencies import Payments
from services.payment.domain import requests
from shared.holder.hand_over import take_hand_over
from shared.logging import get_logger
from shared.messages import Envelope
from shared.payments import PaymentRequested

log = get_logger(__name__)


async def when_payment_requested_take_over(payments: Payments, event: Envelope) -> None:
    async def take(dossier_id: str, version: int, requested: PaymentRequested) -> None:
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
        again = requests.take_request_again(known, version, requested, now)
        await payments.requests.save(again, known.revision, [])
        log.info("payment_requested_again", dossier_id=dossier_id, version=version, amount_vnd=requested.amount_vnd)

    await take_hand_over(event, PaymentRequested, take)

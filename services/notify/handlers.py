"""Notify's use cases: send what the log owes, one claimed delivery at a time, and give a delivery that
gave up a second chance (an operator's).

Sending writes the message, hands it to the mail transport and records how it went. Accepted: `sent`,
with NotificationSent in the same write. Failed: tried again after the backoff, unless it was refused for
good or that was the last attempt: then `failed`, with NotificationFailed. A sender that dies mid-attempt
leaves a `sending` delivery whose lease runs out and which is claimed again; if the server had already
accepted the message, the citizen gets it twice with the same Message-ID. SMTP offers nothing better:
accepting a message and the sender recording it cannot be one step. An SMS can do better: every attempt
carries the same request id, which the provider deduplicates by, so a message it took before the attempt
timed out or the sender died is answered "already taken" and counted as sent, not sent again.
"""

from services.notify.dependencies import Notify, Sending, SmsSending
from services.notify.domain.attachments import Attachment
from services.notify.domain.delivery import Delivery, GiveUp, after_failed_attempt, message_id
from services.notify.domain.mail import OutgoingMail, UndeliverableMail, describe_failure
from services.notify.domain.reports import failed_report, sent_report
from services.notify.domain.sms import OutgoingSms, SmsProviderError, request_id
from services.notify.domain.sms_text import write_sms as sms_text
from services.notify.errors import DeliveryNotFailed, DeliveryNotFound
from shared.logging import get_logger

log = get_logger(__name__)


def write_mail(sending: Sending, delivery: Delivery, attachments: tuple[Attachment, ...] = ()) -> OutgoingMail:
    rendered = sending.renderer.render(delivery.template, delivery.facts)
    return OutgoingMail(
        message_id=message_id(delivery.id, sending.sender_address), sender=sending.sender_address,
        recipient=delivery.recipient or "", subject=rendered.subject, text=rendered.text, html=rendered.html,
        date=delivery.created_at, delivery_id=delivery.id, attachments=attachments)


async def attachments_of(sending: Sending, delivery: Delivery) -> tuple[Attachment, ...]:
    """The slip the message carries, fetched now from the slips service (its bytes are never stored here)."""
    slip = delivery.facts.get("slip")
    if not slip or sending.slips is None:
        return ()
    content = await sending.slips.fetch(slip["dossier_id"], slip["kind"], slip["slip_id"])
    return (Attachment(slip["filename"], "application/pdf", content),)


def write_sms(sending: Sending, sms: SmsSending, delivery: Delivery) -> OutgoingSms:
    # The portal's address, not the lookup link: the code is in the text already, and every character counts.
    text = sms_text(delivery.template, delivery.facts, sending.renderer.portal_url, unicode=sms.unicode,
                    max_length=sms.max_length)
    return OutgoingSms(request_id=request_id(delivery.id), phone=delivery.recipient or "", text=text,
                       delivery_id=delivery.id)


async def _hand_over(sending: Sending, delivery: Delivery) -> None:
    """To the mail transport or the SMS provider, by the delivery's channel."""
    if delivery.channel == "sms":
        if sending.sms is None:  # recorded while a provider was configured, which is gone now
            raise SmsProviderError(0)
        await sending.sms.provider.send(write_sms(sending, sending.sms, delivery))
        return
    await sending.transport.send(write_mail(sending, delivery, await attachments_of(sending, delivery)))


async def send_next_due_delivery(sending: Sending) -> bool:
    """Claim one delivery that is due and try it once; False when none is due."""
    delivery = await sending.deliveries.claim_due(sending.clock(), sending.lease)
    if delivery is None:
        return False
    try:
        await _hand_over(sending, delivery)
    except Exception as error:  # any failure belongs to this delivery, never to the sender
        await _after_failure(sending, delivery, error)
        return True
    now = sending.clock()
    recorded = await sending.deliveries.mark_sent(delivery, now, sent_report(delivery, now))
    if recorded:
        sending.published()
    # Not recorded: the lease ran out mid-attempt and another claim owns the delivery now.
    log.info("delivery_sent" if recorded else "delivery_sent_after_lease", delivery_id=delivery.id,
             dossier_id=delivery.dossier_id, template=delivery.template, channel=delivery.channel,
             attempt=delivery.attempts)
    return True


async def _after_failure(sending: Sending, delivery: Delivery, error: Exception) -> None:
    now = sending.clock()
    failure = describe_failure(error)
    decision = after_failed_attempt(sending.policy, delivery.attempts,
                                    permanent=isinstance(error, UndeliverableMail), now=now)
    if isinstance(decision, GiveUp):
        if await sending.deliveries.mark_failed(delivery, now, failure, failed_report(delivery, failure, now)):
            sending.published()
        log.error("delivery_failed", delivery_id=delivery.id, dossier_id=delivery.dossier_id,
                  template=delivery.template, channel=delivery.channel, attempt=delivery.attempts, error=failure)
        return
    await sending.deliveries.retry_at(delivery, decision.at, failure, now)
    log.warning("delivery_attempt_failed", delivery_id=delivery.id, dossier_id=delivery.dossier_id,
                attempt=delivery.attempts, error=failure, retry_at=decision.at.isoformat())


async def try_failed_delivery_again(notify: Notify, delivery_id: str) -> None:
    """An operator's second chance for a delivery that gave up (the mail server is fixed, say)."""
    if not await notify.deliveries.try_again(delivery_id, notify.clock()):
        if await notify.deliveries.find(delivery_id) is None:
            raise DeliveryNotFound(delivery_id=delivery_id)
        raise DeliveryNotFailed(delivery_id=delivery_id)
    notify.recorded()
    log.info("delivery_tried_again", delivery_id=delivery_id)

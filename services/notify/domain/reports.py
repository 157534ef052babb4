"""The events notify publishes about its deliveries (shared/notifications.py): sent, or given up on.

They name the recipient only masked, carry the status change's correlation id, and are caused by it.
"""

from datetime import datetime

from services.notify.domain.delivery import Delivery
from services.notify.domain.masking import mask_recipient
from shared.messages import Envelope, Payload
from shared.notifications import NotificationFailed, NotificationSent

PRODUCER = "notify"


def _report(delivery: Delivery, payload: Payload) -> Envelope:
    return Envelope(type=payload.message_type, producer=PRODUCER, dossier_id=delivery.dossier_id,
                    correlation_id=delivery.correlation_id, causation_id=delivery.for_event_id,
                    data=payload.model_dump(mode="json"))


def sent_report(delivery: Delivery, at: datetime) -> Envelope:
    return _report(delivery, NotificationSent(
        notification_id=delivery.id, channel=delivery.channel, template=delivery.template,
        for_event_id=delivery.for_event_id, masked_recipient=mask_recipient(delivery.channel, delivery.recipient or ""),
        sent_at=at))


def failed_report(delivery: Delivery, error_type: str, at: datetime) -> Envelope:
    return _report(delivery, NotificationFailed(
        notification_id=delivery.id, channel=delivery.channel, template=delivery.template,
        for_event_id=delivery.for_event_id, error_type=error_type, failed_at=at))

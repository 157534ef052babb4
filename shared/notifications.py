"""Notification contracts: what notify reports about each message it sent (or could not send).

Not dossier state: no version. `dossier_id` is in the envelope; the recipient is never named, only masked,
so that the read model can tell the citizen which notifications reached their registered address.
"""

from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.messages import Payload

# How the citizen was told: by mail to the registered address, or by SMS to the registered phone.
Channel = Literal["email", "sms"]


class NotificationSent(Payload):
    """A notification about a dossier's event reached the citizen's mail server (the address masked)."""

    message_type: str = Field(default="notification.sent", exclude=True)
    notification_id: str
    channel: Channel = "email"
    template: str
    for_event_id: str
    masked_recipient: str
    sent_at: datetime


class NotificationFailed(Payload):
    """Delivery gave up after its retries; the dossier's life never waits on it."""

    message_type: str = Field(default="notification.failed", exclude=True)
    notification_id: str
    channel: Channel = "email"
    template: str
    for_event_id: str
    error_type: str
    failed_at: datetime

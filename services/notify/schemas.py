"""What notify's internal API answers: the delivery log of a dossier, and the development mailbox and SMS sink."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from services.notify.domain.delivery import STATE_LABELS, DeliveryState
from services.notify.domain.notices import TEMPLATE_LABELS


class DeliveryPublic(BaseModel):
    """One notification as the citizen may see it: what, whether it went out, to an address masked."""

    id: str
    dossier_id: str
    version: int
    template: str
    label: str
    channel: str
    state: DeliveryState
    state_label: str
    masked_recipient: str | None
    attempts: int
    error_type: str | None
    created_at: datetime
    sent_at: datetime | None
    failed_at: datetime | None

    @classmethod
    def of(cls, document: dict[str, Any]) -> "DeliveryPublic":
        state = DeliveryState(document["state"])
        return cls(
            id=document["_id"], dossier_id=document["dossier_id"], version=document["version"],
            template=document["template"], label=TEMPLATE_LABELS.get(document["template"], document["template"]),
            channel=document.get("channel", "email"), state=state, state_label=STATE_LABELS[state],
            masked_recipient=document.get("masked_recipient"), attempts=document.get("attempts", 0),
            error_type=document.get("error_type"), created_at=document["created_at"],
            sent_at=document.get("sent_at"), failed_at=document.get("failed_at"))


class DeliveriesPublic(BaseModel):
    dossier_id: str
    items: list[DeliveryPublic]


class MailboxAttachment(BaseModel):
    filename: str
    content_type: str
    size: int
    sha256: str


class MailboxMessage(BaseModel):
    message_id: str
    delivery_id: str
    sender: str
    recipient: str
    subject: str
    text: str
    html: str
    received_at: datetime
    attachments: list[MailboxAttachment] = []

    @classmethod
    def of(cls, document: dict[str, Any]) -> "MailboxMessage":
        return cls(message_id=document["_id"], delivery_id=document["delivery_id"], sender=document["from"],
                   recipient=document["to"], subject=document["subject"], text=document["text"],
                   html=document["html"], received_at=document["received_at"],
                   attachments=[MailboxAttachment.model_validate(found) for found in document.get("attachments", [])])


class MailboxPublic(BaseModel):
    items: list[MailboxMessage]


class SmsSinkMessage(BaseModel):
    request_id: str
    delivery_id: str
    recipient: str
    text: str
    received_at: datetime

    @classmethod
    def of(cls, document: dict[str, Any]) -> "SmsSinkMessage":
        return cls(request_id=document["_id"], delivery_id=document["delivery_id"], recipient=document["to"],
                   text=document["text"], received_at=document["received_at"])


class SmsSinkPublic(BaseModel):
    items: list[SmsSinkMessage]

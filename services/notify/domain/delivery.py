"""A delivery (lượt gửi thông báo): one message to one recipient for one status change, and its life.

    waiting ──its slip was issued──▶ pending (a message that carries a slip: the acceptance mail's receipt)
    pending ──claimed──▶ sending ──accepted by the mail server──▶ sent
       ▲                    │
       └─ failed, retry at ─┤ ──refused for good, or the last attempt failed──▶ failed
                            └─ the lease ran out (its sender died): claimable again as it stands

A delivery's id is the status change and the template, so recording the same change twice records one
delivery; the Message-ID derives from it, so a resend after a crash is recognisably the same message.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parseaddr
from enum import StrEnum
from typing import Any

from shared.notifications import Channel


class DeliveryState(StrEnum):
    WAITING = "waiting"
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


STATE_LABELS = {
    DeliveryState.WAITING: "Đang chờ cấp giấy tiếp nhận",
    DeliveryState.PENDING: "Đang chờ gửi",
    DeliveryState.SENDING: "Đang gửi",
    DeliveryState.SENT: "Đã gửi",
    DeliveryState.FAILED: "Gửi không thành công",
}

# Why a delivery failed without an attempt: the citizen's account has no email address.
NO_REGISTERED_EMAIL = "NoRegisteredEmail"


@dataclass(frozen=True)
class Delivery:
    id: str
    dossier_id: str
    version: int
    template: str
    for_event_id: str
    correlation_id: str | None
    recipient: str | None
    facts: dict[str, Any]
    created_at: datetime
    state: DeliveryState = DeliveryState.PENDING
    attempts: int = 0
    channel: Channel = "email"  # email: `recipient` is the registered address; sms: the registered phone
    # Set by each claim; only the claimant may record the attempt's outcome.
    claim: str | None = field(default=None, compare=False)


def delivery_id(dossier_id: str, version: int, template: str, channel: Channel = "email") -> str:
    """The mail's id is the status change and template; the SMS for the same change has its own."""
    base = f"{dossier_id}.v{version}.{template}"
    return base if channel == "email" else f"{base}.{channel}"


def message_id(delivery: str, sender_address: str) -> str:
    """The same Message-ID for every attempt at one delivery: `<notify.{delivery}@{sender's domain}>`."""
    domain = parseaddr(sender_address)[1].rpartition("@")[2] or "hoso.invalid"
    return f"<notify.{re.sub(r'[^A-Za-z0-9._-]', '-', delivery)}@{domain}>"


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff per delivery: first, 2×first, 4×first … capped, for `max_attempts` tries."""

    max_attempts: int
    first_delay_seconds: float
    max_delay_seconds: float

    def delay_after(self, attempt: int) -> timedelta:
        """How long to wait after failed attempt number `attempt` (1-based)."""
        return timedelta(seconds=min(self.first_delay_seconds * 2 ** (attempt - 1), self.max_delay_seconds))


@dataclass(frozen=True)
class RetryAt:
    at: datetime


@dataclass(frozen=True)
class GiveUp:
    pass


def after_failed_attempt(policy: RetryPolicy, attempts: int, *, permanent: bool, now: datetime) -> RetryAt | GiveUp:
    """What follows a failed attempt: another one later, or none (refused for good, or out of attempts)."""
    if permanent or attempts >= policy.max_attempts:
        return GiveUp()
    return RetryAt(now + policy.delay_after(attempts))

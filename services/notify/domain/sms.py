"""The SMS-provider port (tin nhắn thương hiệu, brand-name SMS): what a message is, how it is handed over,
and how a handover can fail.

Two adapters: eSMS.vn's JSON API (`adapters/esms.py`) and the development SMS sink
(`adapters/dev_sms_sink.py`). Every attempt at one delivery carries the same `request_id`, so that a
provider that deduplicates by it (eSMS does) never sends twice what an attempt that timed out had
already sent. As with mail, `UndeliverableMail` (here `SmsRefused`) means trying again cannot help; any
other error is passing and the delivery is tried later.
"""

import uuid
from dataclasses import dataclass
from typing import Protocol

from services.notify.domain.mail import UndeliverableMail

# Request ids are UUIDs derived from the delivery id: stable across attempts, replicas and restarts.
REQUEST_ID_NAMESPACE = uuid.UUID("5b0c9a3e-6f1d-4c43-9a57-2d6f3c1e8b10")


@dataclass(frozen=True)
class OutgoingSms:
    request_id: str
    phone: str
    text: str
    delivery_id: str


def request_id(delivery_id: str) -> str:
    return str(uuid.uuid5(REQUEST_ID_NAMESPACE, delivery_id))


class SmsProvider(Protocol):
    async def send(self, sms: OutgoingSms) -> None:
        """Return once the provider accepted the message (or says it already had it); raise if not."""
        ...


class SmsRefused(UndeliverableMail):
    """The provider refused the message for good (bad credentials, unknown brand name, a number it will
    not serve): an operator must fix something before a retry can help."""

    def __init__(self, code: int) -> None:
        self.code = code
        super().__init__(f"refused with provider code {code}")


class SmsProviderError(Exception):
    """The provider did not take the message this time (its error, its balance): try again later."""

    def __init__(self, code: int) -> None:
        self.code = code
        super().__init__(f"provider code {code}")

"""The payment-provider port (cổng thanh toán trực tuyến): open a checkout, verify a report, answer it.

Each adapter speaks one provider's protocol: `sandbox` (the embedded run's own checkout) and `vnpay`
(VNPay's published protocol). The use cases see only this port.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from services.payment.domain.reports import ProviderReport
from services.payment.errors import RefusalReason

Answer = Literal["settled", "duplicate", "refused"]


@dataclass(frozen=True)
class Checkout:
    """What a provider needs to open a checkout for one payment."""

    reference: str
    amount_vnd: int
    # Plain ASCII without special characters: VNPay's rule for vnp_OrderInfo, and safe for any provider.
    description: str
    created_at: datetime
    expires_at: datetime
    client_ip: str


@dataclass(frozen=True)
class CallbackAnswer:
    """What became of a report: settled now, a duplicate of one settled before, or refused (and why)."""

    answer: Answer
    reason: RefusalReason | None = None


@dataclass(frozen=True)
class ProviderReply:
    """The HTTP answer the provider's protocol expects."""

    status_code: int
    body: dict[str, Any]


class PaymentProvider(Protocol):
    @property
    def name(self) -> str: ...

    def checkout_url(self, checkout: Checkout) -> str:
        """Where the citizen's browser goes to pay."""
        ...

    def verify(self, params: Mapping[str, str], now: datetime) -> ProviderReport:
        """The report the parameters carry; `CallbackRefused` when they are forged, malformed or stale."""
        ...

    def reply(self, answer: CallbackAnswer) -> ProviderReply: ...

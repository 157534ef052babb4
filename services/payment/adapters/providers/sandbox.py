"""The sandbox provider: the embedded run's own checkout, with a signed report like a real provider's.

Its checkout page is served by payment itself (`/sandbox/checkout/{reference}`, through the gateway at
`/v1/payments/sandbox/checkout/{reference}`); its two buttons end in `report()`, whose parameters are
signed with HMAC-SHA256 (the secret `SANDBOX_SECRET`) the way VNPay signs (see signing.py) and go through
the same callback handler as any provider's. A report older than `max_age_seconds` is a replay.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from services.payment.adapters.providers.port import CallbackAnswer, Checkout, ProviderReply
from services.payment.adapters.providers.signing import canonical_query, same_signature, sign
from services.payment.domain.reports import Outcome, ProviderReport
from services.payment.errors import CallbackRefused

SIGNATURE = "signature"
FIELDS = frozenset({"reference", "amount", "outcome", "transaction_id", "sent_at"})
OUTCOMES: dict[str, Outcome] = {"paid": "paid", "cancelled": "cancelled", "failed": "failed"}
# A report from a little in the future is a clock apart, not a forgery.
CLOCK_SKEW_SECONDS = 30
_REFUSED = {
    "bad_signature": "Chữ ký không hợp lệ.",
    "unknown_reference": "Không tìm thấy giao dịch.",
    "amount_mismatch": "Số tiền không khớp với giao dịch.",
    "replayed": "Kết quả đã được ghi nhận trước đó hoặc đã quá hạn.",
    "malformed": "Thiếu hoặc sai tham số.",
}


@dataclass(frozen=True)
class SandboxProvider:
    secret: str
    public_base_url: str = ""
    max_age_seconds: int = 600
    name: str = "sandbox"

    def checkout_url(self, checkout: Checkout) -> str:
        return f"{self.public_base_url}/v1/payments/sandbox/checkout/{quote(checkout.reference)}"

    def return_url(self, signed: Mapping[str, str]) -> str:
        """Where the browser goes after the checkout: the portal's result page, with the signed report."""
        return f"{self.public_base_url}/v1/payments/return/{self.name}?{canonical_query(signed)}"

    def report(self, reference: str, amount_vnd: int, outcome: Outcome, transaction_id: str,
               now: datetime) -> dict[str, str]:
        """The signed parameters of the sandbox's report on a payment, as a provider would send them."""
        params = {"reference": reference, "amount": str(amount_vnd), "outcome": outcome,
                  "transaction_id": transaction_id, "sent_at": str(int(now.timestamp()))}
        return {**params, SIGNATURE: sign(params, self.secret, hashlib.sha256)}

    def verify(self, params: Mapping[str, str], now: datetime) -> ProviderReport:
        signed = {name: value for name, value in params.items() if name != SIGNATURE}
        if not same_signature(sign(signed, self.secret, hashlib.sha256), params.get(SIGNATURE, "")):
            raise CallbackRefused("bad_signature")
        reference = signed.get("reference")
        outcome = OUTCOMES.get(signed.get("outcome", ""))
        if set(signed) != FIELDS or outcome is None or not signed["amount"].isdigit() \
                or not signed["sent_at"].isdigit():
            raise CallbackRefused("malformed", reference)
        age = now.timestamp() - int(signed["sent_at"])
        if age > self.max_age_seconds or age < -CLOCK_SKEW_SECONDS:
            raise CallbackRefused("replayed", reference)
        return ProviderReport(reference=signed["reference"], amount_vnd=int(signed["amount"]), outcome=outcome,
                              provider_code=outcome, provider_transaction_id=signed["transaction_id"])

    def reply(self, answer: CallbackAnswer) -> ProviderReply:
        if answer.answer == "refused" and answer.reason is not None:
            return ProviderReply(400, {"error": {"code": f"callback_{answer.reason}",
                                                 "message": _REFUSED[answer.reason]}})
        return ProviderReply(200, {"result": "accepted" if answer.answer == "settled" else "duplicate"})

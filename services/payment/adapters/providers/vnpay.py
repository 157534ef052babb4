"""VNPay (Cổng thanh toán VNPAY), by its published protocol for `vnp_Version` 2.1.0.

- The payment URL carries the `vnp_*` parameters, sorted by name and URL-encoded as a form would, and
  `vnp_SecureHash`: the HMAC-SHA512 of that query string with the merchant's hash secret (signing.py).
- The return URL (the browser's way back) and the IPN (VNPay's server-to-server report, a GET) carry the
  result the same way; the hash is over every `vnp_*` parameter but `vnp_SecureHash` and
  `vnp_SecureHashType`. `vnp_Amount` is in VND × 100; times are yyyyMMddHHmmss in GMT+7.
- Paid when `vnp_ResponseCode` and `vnp_TransactionStatus` are both "00"; "24" is the customer cancelling;
  anything else failed. The IPN is answered `{"RspCode", "Message"}` with the codes of VNPay's demo.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from services.payment.adapters.providers.port import CallbackAnswer, Checkout, ProviderReply
from services.payment.adapters.providers.signing import canonical_query, same_signature, sign
from services.payment.domain.reports import Outcome, ProviderReport
from services.payment.errors import CallbackRefused, RefusalReason

VERSION = "2.1.0"
SECURE_HASH = "vnp_SecureHash"
SECURE_HASH_TYPE = "vnp_SecureHashType"
PREFIX = "vnp_"
GMT7 = timezone(timedelta(hours=7))
SUCCESS = "00"
CANCELLED_BY_CUSTOMER = "24"

CONFIRMED = ("00", "Confirm Success")
ALREADY_CONFIRMED = ("02", "Order already confirmed")
IPN_REFUSALS: dict[RefusalReason, tuple[str, str]] = {
    "bad_signature": ("97", "Invalid signature"),
    "unknown_reference": ("01", "Order not found"),
    "amount_mismatch": ("04", "Invalid amount"),
    # A report on a transaction that was settled already, with the other outcome.
    "replayed": ALREADY_CONFIRMED,
    "malformed": ("99", "Unknown error"),
}


def vnpay_time(moment: datetime) -> str:
    """yyyyMMddHHmmss in GMT+7, as VNPay reads vnp_CreateDate and vnp_ExpireDate."""
    return moment.astimezone(GMT7).strftime("%Y%m%d%H%M%S")


def outcome_of(response_code: str, transaction_status: str | None) -> Outcome:
    if response_code == SUCCESS and transaction_status in (None, SUCCESS):
        return "paid"
    return "cancelled" if response_code == CANCELLED_BY_CUSTOMER else "failed"


@dataclass(frozen=True)
class VNPayProvider:
    tmn_code: str
    hash_secret: str
    payment_url: str
    return_url: str
    order_type: str = "other"
    locale: str = "vn"
    name: str = "vnpay"

    def payment_parameters(self, checkout: Checkout) -> dict[str, str]:
        return {
            "vnp_Version": VERSION, "vnp_Command": "pay", "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(checkout.amount_vnd * 100), "vnp_CurrCode": "VND", "vnp_TxnRef": checkout.reference,
            "vnp_OrderInfo": checkout.description, "vnp_OrderType": self.order_type, "vnp_Locale": self.locale,
            "vnp_ReturnUrl": self.return_url, "vnp_IpAddr": checkout.client_ip,
            "vnp_CreateDate": vnpay_time(checkout.created_at), "vnp_ExpireDate": vnpay_time(checkout.expires_at),
        }

    def checkout_url(self, checkout: Checkout) -> str:
        params = self.payment_parameters(checkout)
        return f"{self.payment_url}?{canonical_query(params)}&{SECURE_HASH}={self.secure_hash(params)}"

    def secure_hash(self, params: Mapping[str, str]) -> str:
        return sign(params, self.hash_secret, hashlib.sha512)

    def verify(self, params: Mapping[str, str], now: datetime) -> ProviderReport:
        """Verify a return URL's or an IPN's parameters. VNPay resends an IPN until it is confirmed, so a
        late one is no replay: the payment's state tells a duplicate from a contradiction."""
        signed = {name: value for name, value in params.items()
                  if name.startswith(PREFIX) and name not in (SECURE_HASH, SECURE_HASH_TYPE)}
        if not same_signature(self.secure_hash(signed), params.get(SECURE_HASH, "")):
            raise CallbackRefused("bad_signature")
        reference = signed.get("vnp_TxnRef")
        amount = signed.get("vnp_Amount", "")
        response_code = signed.get("vnp_ResponseCode")
        if not reference or not response_code or not amount.isdigit() or int(amount) % 100 \
                or signed.get("vnp_TmnCode") != self.tmn_code:
            raise CallbackRefused("malformed", reference)
        return ProviderReport(
            reference=reference, amount_vnd=int(amount) // 100,
            outcome=outcome_of(response_code, signed.get("vnp_TransactionStatus")),
            provider_code=response_code, provider_transaction_id=signed.get("vnp_TransactionNo"))

    def reply(self, answer: CallbackAnswer) -> ProviderReply:
        if answer.answer == "settled":
            code, message = CONFIRMED
        elif answer.answer == "duplicate" or answer.reason is None:
            code, message = ALREADY_CONFIRMED
        else:
            code, message = IPN_REFUSALS[answer.reason]
        # VNPay reads the JSON whatever the status; anything but 200 makes it retry.
        return ProviderReply(200, {"RspCode": code, "Message": message})

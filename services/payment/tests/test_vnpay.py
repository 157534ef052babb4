"""VNPay's protocol (vnp_Version 2.1.0) against vectors worked out by hand from its documented algorithm:
sort the `vnp_*` parameters by name, URL-encode names and values as a form would (a space is `+`), join
`name=value` pairs with `&`, and take the HMAC-SHA512 of that text with the hash secret, in hex.

Each expected query string below is written out by hand; each hash is computed here with hmac/hashlib
directly, and was also checked once with an independent implementation
(`printf '%s' "$QUERY" | openssl dgst -sha512 -hmac "$SECRET"`), whose output is pinned.
"""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest

from services.payment.adapters.providers.port import CallbackAnswer, Checkout
from services.payment.adapters.providers.signing import canonical_query
from services.payment.adapters.providers.vnpay import VNPayProvider, outcome_of
from services.payment.errors import CallbackRefused

SECRET = "VNPAYTESTHASHSECRET0123456789ABC"
REFERENCE = "1A2B3C4D5E6F7A8B9C0D"
CREATED = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # 09:00 in Vietnam (GMT+7)
PROVIDER = VNPayProvider(tmn_code="HOSOTEST", hash_secret=SECRET,
                         payment_url="https://sandbox.vnpayment.vn/paymentv2/vpcpay.html",
                         return_url="https://portal.test/v1/payments/return/vnpay")
CHECKOUT = Checkout(reference=REFERENCE, amount_vnd=150_000,
                    description=f"Thanh toan phi le phi ho so ma giao dich {REFERENCE}", created_at=CREATED,
                    expires_at=CREATED + timedelta(minutes=15), client_ip="113.160.92.202")

# The payment URL's parameters, sorted by name and encoded, exactly as they must be signed and sent.
PAYMENT_QUERY = (
    "vnp_Amount=15000000"  # 150,000 VND × 100
    "&vnp_Command=pay"
    "&vnp_CreateDate=20260303090000"  # GMT+7
    "&vnp_CurrCode=VND"
    "&vnp_ExpireDate=20260303091500"
    "&vnp_IpAddr=113.160.92.202"
    "&vnp_Locale=vn"
    "&vnp_OrderInfo=Thanh+toan+phi+le+phi+ho+so+ma+giao+dich+1A2B3C4D5E6F7A8B9C0D"
    "&vnp_OrderType=other"
    "&vnp_ReturnUrl=https%3A%2F%2Fportal.test%2Fv1%2Fpayments%2Freturn%2Fvnpay"
    "&vnp_TmnCode=HOSOTEST"
    "&vnp_TxnRef=1A2B3C4D5E6F7A8B9C0D"
    "&vnp_Version=2.1.0"
)
PAYMENT_HASH_BY_OPENSSL = ("08f0b5285ad0c426ad3eb69cdc201d7a33e634de8f466c04120e5638d60d9d2f"
                           "c2474a4171da2c52e5e73286fd9f4eae7216ed1b96a99d047e3efe367c919794")

# What VNPay sends back (IPN and return URL) for that payment, paid; vnp_SecureHash is not signed.
IPN = {"vnp_Amount": "15000000", "vnp_BankCode": "NCB", "vnp_BankTranNo": "VNP14226112", "vnp_CardType": "ATM",
       "vnp_OrderInfo": f"Thanh toan phi le phi ho so ma giao dich {REFERENCE}", "vnp_PayDate": "20260303091000",
       "vnp_ResponseCode": "00", "vnp_TmnCode": "HOSOTEST", "vnp_TransactionNo": "14226112",
       "vnp_TransactionStatus": "00", "vnp_TxnRef": REFERENCE}
IPN_QUERY = (
    "vnp_Amount=15000000&vnp_BankCode=NCB&vnp_BankTranNo=VNP14226112&vnp_CardType=ATM"
    "&vnp_OrderInfo=Thanh+toan+phi+le+phi+ho+so+ma+giao+dich+1A2B3C4D5E6F7A8B9C0D&vnp_PayDate=20260303091000"
    "&vnp_ResponseCode=00&vnp_TmnCode=HOSOTEST&vnp_TransactionNo=14226112&vnp_TransactionStatus=00"
    "&vnp_TxnRef=1A2B3C4D5E6F7A8B9C0D"
)
IPN_HASH_BY_OPENSSL = ("777ceb6bd85b7ebbf00887ee4c7e3846e0d46cceb21700dfdb3a6df7706084ac"
                       "5a6c73ca3b0b4c06e3dbeb8a38eb33166816180f75586d3bfb609ed30714e5a9")
NOW = CREATED + timedelta(minutes=10)


def hmac_sha512(text: str) -> str:
    return hmac.new(SECRET.encode(), text.encode(), hashlib.sha512).hexdigest()


def signed_ipn(**changes: str) -> dict[str, str]:
    params = {**IPN, **changes}
    return {**params, "vnp_SecureHashType": "HmacSHA512", "vnp_SecureHash": hmac_sha512(canonical_query(params))}


def test_the_encoding_and_order_match_the_example_url_in_vnpays_documentation() -> None:
    # https://sandbox.vnpayment.vn/apis/docs/huong-dan-tich-hop/ shows this URL (before &vnp_SecureHash=…).
    documented = ("vnp_Amount=1806000&vnp_Command=pay&vnp_CreateDate=20210801153333&vnp_CurrCode=VND"
                  "&vnp_IpAddr=127.0.0.1&vnp_Locale=vn&vnp_OrderInfo=Thanh+toan+don+hang+%3A5&vnp_OrderType=other"
                  "&vnp_ReturnUrl=https%3A%2F%2Fdomainmerchant.vn%2FReturnUrl&vnp_TmnCode=DEMOV210&vnp_TxnRef=5"
                  "&vnp_Version=2.1.0")
    params = {"vnp_Version": "2.1.0", "vnp_TxnRef": "5", "vnp_TmnCode": "DEMOV210", "vnp_Command": "pay",
              "vnp_ReturnUrl": "https://domainmerchant.vn/ReturnUrl", "vnp_OrderType": "other",
              "vnp_OrderInfo": "Thanh toan don hang :5", "vnp_Locale": "vn", "vnp_IpAddr": "127.0.0.1",
              "vnp_CurrCode": "VND", "vnp_CreateDate": "20210801153333", "vnp_Amount": "1806000"}
    assert canonical_query(params) == documented


def test_the_payment_url_is_the_sorted_encoded_parameters_and_their_hmac_sha512() -> None:
    url = PROVIDER.checkout_url(CHECKOUT)
    expected_hash = hmac_sha512(PAYMENT_QUERY)
    assert expected_hash == PAYMENT_HASH_BY_OPENSSL
    assert url == f"https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?{PAYMENT_QUERY}&vnp_SecureHash={expected_hash}"
    sent = dict(parse_qsl(urlsplit(url).query))
    assert (sent["vnp_Amount"], sent["vnp_CreateDate"], sent["vnp_ExpireDate"]) == (
        "15000000", "20260303090000", "20260303091500")
    assert "vnp_SecureHashType" not in sent  # 2.1.0 sends none


def test_a_genuine_ipn_verifies_to_a_paid_report() -> None:
    assert hmac_sha512(IPN_QUERY) == IPN_HASH_BY_OPENSSL
    params = {**IPN, "vnp_SecureHash": IPN_HASH_BY_OPENSSL, "vnp_SecureHashType": "HmacSHA512"}
    report = PROVIDER.verify(params, NOW)
    assert (report.reference, report.amount_vnd, report.outcome) == (REFERENCE, 150_000, "paid")
    assert (report.provider_code, report.provider_transaction_id) == ("00", "14226112")
    # The hash's case does not matter; parameters other than vnp_* are not VNPay's and are not signed.
    assert PROVIDER.verify({**params, "vnp_SecureHash": IPN_HASH_BY_OPENSSL.upper(), "utm": "x"}, NOW) == report


@pytest.mark.parametrize("name", sorted(IPN))
def test_tampering_with_any_signed_field_breaks_the_signature(name: str) -> None:
    params = signed_ipn()
    params[name] = params[name] + "1"
    with pytest.raises(CallbackRefused) as refused:
        PROVIDER.verify(params, NOW)
    assert (refused.value.reason, refused.value.reference) == ("bad_signature", None)


@pytest.mark.parametrize("params", [
    {**IPN},  # no hash at all
    {**IPN, "vnp_SecureHash": ""},
    {**IPN, "vnp_SecureHash": "zz" * 64},
    {**IPN, "vnp_SecureHash": "đ" * 128},
    {**IPN, "vnp_SecureHash": hmac.new(b"another secret", IPN_QUERY.encode(), hashlib.sha512).hexdigest()},
    {**IPN, "vnp_SecureHash": hmac.new(SECRET.encode(), IPN_QUERY.encode(), hashlib.sha256).hexdigest()},
    {**{k: v for k, v in IPN.items() if k != "vnp_BankCode"}, "vnp_SecureHash": IPN_HASH_BY_OPENSSL},
])
def test_a_missing_or_wrong_hash_is_a_bad_signature(params: dict[str, str]) -> None:
    with pytest.raises(CallbackRefused) as refused:
        PROVIDER.verify(params, NOW)
    assert refused.value.reason == "bad_signature"


@pytest.mark.parametrize("changes", [{"vnp_Amount": "15000050"}, {"vnp_Amount": "abc"}, {"vnp_TmnCode": "OTHER"},
                                     {"vnp_TxnRef": ""}])
def test_a_genuine_report_that_makes_no_sense_is_malformed(changes: dict[str, str]) -> None:
    with pytest.raises(CallbackRefused) as refused:
        PROVIDER.verify(signed_ipn(**changes), NOW)
    assert refused.value.reason == "malformed"


@pytest.mark.parametrize(("response_code", "transaction_status", "outcome"), [
    ("00", "00", "paid"), ("00", None, "paid"), ("00", "01", "failed"), ("24", "02", "cancelled"),
    ("11", "02", "failed"), ("51", "02", "failed"), ("07", "07", "failed"), ("99", "02", "failed"),
])
def test_response_codes(response_code: str, transaction_status: str | None, outcome: str) -> None:
    assert outcome_of(response_code, transaction_status) == outcome
    status = {"vnp_TransactionStatus": transaction_status} if transaction_status else {}
    params = signed_ipn(vnp_ResponseCode=response_code, **status)
    if transaction_status is None:
        del params["vnp_TransactionStatus"]
        params["vnp_SecureHash"] = hmac_sha512(canonical_query(
            {k: v for k, v in params.items() if k not in ("vnp_SecureHash", "vnp_SecureHashType")}))
    assert PROVIDER.verify(params, NOW).outcome == outcome


@pytest.mark.parametrize(("answer", "reply"), [
    (CallbackAnswer("settled"), {"RspCode": "00", "Message": "Confirm Success"}),
    (CallbackAnswer("duplicate"), {"RspCode": "02", "Message": "Order already confirmed"}),
    (CallbackAnswer("refused", "replayed"), {"RspCode": "02", "Message": "Order already confirmed"}),
    (CallbackAnswer("refused", "unknown_reference"), {"RspCode": "01", "Message": "Order not found"}),
    (CallbackAnswer("refused", "amount_mismatch"), {"RspCode": "04", "Message": "Invalid amount"}),
    (CallbackAnswer("refused", "bad_signature"), {"RspCode": "97", "Message": "Invalid signature"}),
    (CallbackAnswer("refused", "malformed"), {"RspCode": "99", "Message": "Unknown error"}),
])
def test_the_ipn_is_answered_with_vnpays_codes(answer: CallbackAnswer, reply: dict[str, str]) -> None:
    answered = PROVIDER.reply(answer)
    assert (answered.status_code, answered.body) == (200, reply)

"""The sandbox provider's report: HMAC-SHA256 over its sorted, form-encoded parameters (VNPay's way), a
vector worked out by hand, and every way of tampering with it."""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from services.payment.adapters.providers.port import CallbackAnswer
from services.payment.adapters.providers.sandbox import SandboxProvider
from services.payment.errors import CallbackRefused

SECRET = "sandbox-secret"
SANDBOX = SandboxProvider(secret=SECRET, public_base_url="https://portal.test", max_age_seconds=600)
SENT = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # 1772503200
REFERENCE = "1A2B3C4D5E6F7A8B9C0D"
SIGNED_TEXT = "amount=150000&outcome=paid&reference=1A2B3C4D5E6F7A8B9C0D&sent_at=1772503200&transaction_id=SBX-1"
# printf '%s' "$SIGNED_TEXT" | openssl dgst -sha256 -hmac sandbox-secret
SIGNATURE_BY_OPENSSL = "04578c16b83f719288caadc85e54232bc02ea9db6a1788dadb987d38cec873f4"


def test_the_report_is_signed_over_its_sorted_parameters() -> None:
    report = SANDBOX.report(REFERENCE, 150_000, "paid", "SBX-1", SENT)
    expected = hmac.new(SECRET.encode(), SIGNED_TEXT.encode(), hashlib.sha256).hexdigest()
    assert expected == SIGNATURE_BY_OPENSSL
    assert report == {"reference": REFERENCE, "amount": "150000", "outcome": "paid", "transaction_id": "SBX-1",
                      "sent_at": "1772503200", "signature": expected}
    verified = SANDBOX.verify(report, SENT + timedelta(seconds=5))
    assert (verified.reference, verified.amount_vnd, verified.outcome, verified.provider_transaction_id) == (
        REFERENCE, 150_000, "paid", "SBX-1")


@pytest.mark.parametrize("name", ["reference", "amount", "outcome", "transaction_id", "sent_at", "signature"])
def test_tampering_with_any_field_breaks_the_signature(name: str) -> None:
    report = SANDBOX.report(REFERENCE, 150_000, "failed", "SBX-1", SENT)
    report[name] = "paid" if name == "outcome" else report[name][:-1] + ("0" if report[name][-1] != "0" else "1")
    with pytest.raises(CallbackRefused) as refused:
        SANDBOX.verify(report, SENT)
    assert refused.value.reason == "bad_signature"


def test_a_report_signed_with_another_secret_or_with_more_fields_is_forged() -> None:
    for forged in (SandboxProvider(secret="guess").report(REFERENCE, 150_000, "paid", "SBX-1", SENT),
                   {**SANDBOX.report(REFERENCE, 150_000, "paid", "SBX-1", SENT), "extra": "1"}):
        with pytest.raises(CallbackRefused) as refused:
            SANDBOX.verify(forged, SENT)
        assert refused.value.reason == "bad_signature"


@pytest.mark.parametrize(("received_after", "accepted"), [
    (timedelta(0), True), (timedelta(minutes=10), True), (timedelta(minutes=10, seconds=1), False),
    (timedelta(seconds=-30), True), (timedelta(seconds=-31), False)])
def test_an_old_report_is_a_replay(received_after: timedelta, accepted: bool) -> None:
    report = SANDBOX.report(REFERENCE, 150_000, "paid", "SBX-1", SENT)
    if accepted:
        assert SANDBOX.verify(report, SENT + received_after).outcome == "paid"
        return
    with pytest.raises(CallbackRefused) as refused:
        SANDBOX.verify(report, SENT + received_after)
    assert (refused.value.reason, refused.value.reference) == ("replayed", REFERENCE)


def test_urls_and_replies() -> None:
    report = SANDBOX.report(REFERENCE, 150_000, "cancelled", "SBX-1", SENT)
    assert SANDBOX.return_url(report).startswith("https://portal.test/v1/payments/return/sandbox?amount=150000&")
    assert SANDBOX.reply(CallbackAnswer("settled")).body == {"result": "accepted"}
    refused = SANDBOX.reply(CallbackAnswer("refused", "amount_mismatch"))
    assert (refused.status_code, refused.body["error"]["code"]) == (400, "callback_amount_mismatch")

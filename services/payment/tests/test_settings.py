"""Payment refuses to start on a configuration that could take money wrongly, and keeps secrets secret."""

import pytest
from pydantic import ValidationError

from services.payment.adapters.providers.sandbox import SandboxProvider
from services.payment.adapters.providers.vnpay import VNPayProvider
from services.payment.bootstrap import online_provider
from services.payment.settings import PaymentSettings


def test_vnpay_needs_its_code_its_secret_and_the_public_address() -> None:
    with pytest.raises(ValidationError, match="VNPAY_TMN_CODE, VNPAY_HASH_SECRET, PUBLIC_BASE_URL"):
        PaymentSettings(payment_provider="vnpay")
    settings = PaymentSettings(payment_provider="vnpay", vnpay_tmn_code="HOSOTEST", vnpay_hash_secret="s3cr3t",
                               public_base_url="https://dichvucong.soyte.example.vn")
    provider = online_provider(settings)
    assert isinstance(provider, VNPayProvider)
    assert provider.return_url == "https://dichvucong.soyte.example.vn/v1/payments/return/vnpay"
    assert "s3cr3t" not in repr(settings)


def test_the_sandbox_is_refused_in_production_and_gets_a_fresh_secret_each_start() -> None:
    with pytest.raises(ValidationError, match="sandbox is for development"):
        PaymentSettings(environment="production")
    first, second = online_provider(PaymentSettings()), online_provider(PaymentSettings())
    assert isinstance(first, SandboxProvider) and isinstance(second, SandboxProvider)
    assert first.secret != second.secret and len(first.secret) >= 32
    with pytest.raises(ValidationError):
        PaymentSettings(public_base_url="javascript:alert(1)")

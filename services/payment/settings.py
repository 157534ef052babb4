"""Payment's settings: the shared ones, its port, the online provider and its secrets."""

import secrets
from typing import Literal, Self

from pydantic import Field, SecretStr, model_validator

from shared.settings import ServiceSettings

VNPAY_SANDBOX_URL = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"


class PaymentSettings(ServiceSettings):
    port: int = 8104
    # Where online payments go: the built-in sandbox (embedded run, development) or VNPay.
    payment_provider: Literal["sandbox", "vnpay"] = "sandbox"
    # The portal's public origin (the gateway), for the URLs a browser follows: the sandbox's checkout and
    # the way back from the provider. Empty: paths relative to the origin the API was called on.
    public_base_url: str = Field(default="", pattern=r"^(https?://[^\s/?#]+)?$")
    # Random per process unless set: a sandbox report is signed and checked by the same process.
    sandbox_secret: SecretStr = Field(default_factory=lambda: SecretStr(secrets.token_urlsafe(32)))
    sandbox_max_age_seconds: int = Field(default=600, gt=0)
    vnpay_tmn_code: str | None = Field(default=None, pattern=r"^[0-9A-Za-z]{1,16}$")
    vnpay_hash_secret: SecretStr | None = None
    vnpay_payment_url: str = VNPAY_SANDBOX_URL
    # How long a checkout stays payable (VNPay's vnp_ExpireDate).
    checkout_minutes: int = Field(default=15, gt=0, le=24 * 60)
    timezone: str = "Asia/Ho_Chi_Minh"
    outbox_poll_seconds: float = 1.0

    @model_validator(mode="after")
    def refuse_unsafe_configuration(self) -> Self:
        if self.payment_provider == "vnpay":
            missing = [name for name, value in (("VNPAY_TMN_CODE", self.vnpay_tmn_code),
                                                ("VNPAY_HASH_SECRET", self.vnpay_hash_secret),
                                                ("PUBLIC_BASE_URL", self.public_base_url)) if not value]
            if missing:
                raise ValueError(f"PAYMENT_PROVIDER=vnpay needs {', '.join(missing)}")
        elif self.environment == "production":
            # The sandbox's button "pays" without any money: never where fees are really collected.
            raise ValueError("PAYMENT_PROVIDER=sandbox is for development: use vnpay in production")
        return self

"""Notify's settings: the shared ones, its port, the mail server (or none: the development mailbox), the
portal's address for links, and how deliveries are retried."""

from email.utils import parseaddr
from typing import Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator

from shared.settings import ServiceSettings

TlsMode = Literal["starttls", "tls", "none"]
SmsProviderName = Literal["esms", "development", "none"]
ESMS_URL = "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/"
DEFAULT_PORTS: dict[TlsMode, int] = {"starttls": 587, "tls": 465, "none": 25}


class NotifySettings(ServiceSettings):
    port: int = 8105
    # No SMTP_HOST: mail is kept in the development mailbox (GET /mailbox) and never leaves the machine.
    smtp_host: str | None = None
    smtp_port: int | None = Field(default=None, ge=1, le=65535)
    smtp_from: str = "Cổng Dịch vụ công Sở Y tế <khong-tra-loi@localhost>"
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    # None: STARTTLS in production; no TLS in development, where the server is usually a local catcher.
    smtp_tls: TlsMode | None = None
    smtp_timeout_seconds: float = Field(default=30.0, gt=0)
    # Intake's internal API, where the account's registered address and phone are read (no event carries them).
    intake_url: str = "http://127.0.0.1:8101"
    intake_wait_seconds: float = Field(default=30.0, gt=0)  # how long intake may be away before a retry
    # Links in the mail: the portal, and the public lookup page of a dossier code.
    portal_url: str = "http://127.0.0.1:8000"
    lookup_path: str = "/tra-cuu?ma={lookup_code}"  # the portal's public lookup page
    # Dates in the mail (received on, paid on) are days in Vietnam.
    timezone: str = "Asia/Ho_Chi_Minh"
    # A delivery is tried this many times, waiting first, 2×first, 4×first … (at most max) in between.
    delivery_max_attempts: int = Field(default=8, ge=1)
    delivery_first_retry_seconds: float = Field(default=30.0, gt=0)
    delivery_max_retry_seconds: float = Field(default=1800.0, gt=0)
    # A claimed delivery whose sender died is claimed again after the lease: longer than any SMTP attempt.
    delivery_lease_seconds: float = Field(default=300.0, gt=0)
    delivery_poll_seconds: float = Field(default=1.0, gt=0)
    delivery_workers: int = Field(default=4, ge=1, le=64)
    outbox_poll_seconds: float = 1.0
    # The slips service, where the acceptance mail's receipt slip is fetched (the mail waits for the slip).
    # Off: the acceptance mail goes without it, at once (a notify running without the slips service).
    slips_url: str = "http://127.0.0.1:8106"
    attach_slips: bool = True
    # SMS to the account's phone: eSMS.vn's brand-name API, the development sink (GET /sms), or none (mail
    # only). Unset: the sink outside production, none in production.
    sms_provider: SmsProviderName | None = None
    sms_url: str = ESMS_URL
    sms_api_key: SecretStr | None = None
    sms_secret_key: SecretStr | None = None
    sms_brandname: str | None = None  # the sender name registered with the carriers
    # Unaccented (GSM-7, 160 characters a segment) unless the brand name is registered for Unicode (70).
    sms_unicode: bool = False
    sms_max_length: int | None = Field(default=None, ge=40, le=1530)  # unset: one segment
    sms_sandbox: bool = False  # eSMS's test mode: taken and answered, never delivered, never billed
    sms_timeout_seconds: float = Field(default=10.0, gt=0)
    # Who on the staff side hears of a dossier due soon or overdue: DIVISION_MAILBOXES, a JSON object from
    # a division (the procedure's `field` in the catalog, e.g. "Mỹ phẩm") to its address; STAFF_MAILBOX for
    # every division without one (unset: staff get no mail, the citizen still does).
    division_mailboxes: dict[str, str] = Field(default_factory=dict)
    staff_mailbox: str | None = None

    @property
    def uses_smtp(self) -> bool:
        return bool(self.smtp_host)

    @property
    def sms(self) -> SmsProviderName:
        if self.sms_provider is not None:
            return self.sms_provider
        return "none" if self.environment == "production" else "development"

    @property
    def sms_length(self) -> int:
        return self.sms_max_length or (70 if self.sms_unicode else 160)

    @field_validator("sms_provider", mode="before")
    @classmethod
    def unset_when_empty(cls, value: object) -> object:
        return None if value == "" else value  # SMS_PROVIDER= in a manifest means unset

    @property
    def tls_mode(self) -> TlsMode:
        if self.smtp_tls is not None:
            return self.smtp_tls
        return "starttls" if self.environment == "production" else "none"

    @property
    def effective_smtp_port(self) -> int:
        return self.smtp_port or DEFAULT_PORTS[self.tls_mode]

    @model_validator(mode="after")
    def refuse_unsafe_configuration(self) -> Self:
        if "@" not in parseaddr(self.smtp_from)[1]:
            raise ValueError("SMTP_FROM must be an address, optionally with a display name")
        if bool(self.smtp_user) != bool(self.smtp_password):
            raise ValueError("SMTP_USER and SMTP_PASSWORD go together")
        if self.sms == "esms" and not (self.sms_api_key and self.sms_secret_key and self.sms_brandname):
            raise ValueError("SMS_PROVIDER=esms needs SMS_API_KEY, SMS_SECRET_KEY and SMS_BRANDNAME")
        if self.delivery_lease_seconds <= max(self.smtp_timeout_seconds, self.sms_timeout_seconds):
            # Otherwise a slow but live attempt could be claimed again, and the citizen mailed twice.
            raise ValueError("DELIVERY_LEASE_SECONDS must be longer than SMTP_TIMEOUT_SECONDS and SMS_TIMEOUT_SECONDS")
        if self.environment == "production":
            if not self.smtp_host:
                raise ValueError("SMTP_HOST must be set in production: the development mailbox is not email")
            if self.sms == "development":
                raise ValueError("SMS_PROVIDER=development in production: the development sink is not SMS")
            if self.smtp_password and self.tls_mode == "none":
                raise ValueError("SMTP_TLS=none would send SMTP_PASSWORD in clear")
            if parseaddr(self.smtp_from)[1].endswith("@localhost"):
                raise ValueError("SMTP_FROM must be the Department's sending address in production")
        return self

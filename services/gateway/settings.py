"""The gateway's settings: where the services are, how tokens are checked, and the request limits."""

import secrets
from typing import Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset({"", "changeme", "change-me", "secret", "dev", "development", "test"})


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    environment: Literal["development", "production"] = "development"
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int = 8000
    intake_url: str = "http://127.0.0.1:8101"
    query_url: str = "http://127.0.0.1:8102"
    processing_url: str = "http://127.0.0.1:8103"
    payment_url: str = "http://127.0.0.1:8104"
    notify_url: str = "http://127.0.0.1:8105"
    # Development tokens (POST /v1/dev/token) are for the embedded run and local services only.
    dev_tokens: bool = False
    # An HMAC secret (HS*) or the identity provider's PEM public key (RS*/ES*).
    jwt_key: str | None = None
    jwt_algorithms: list[str] = ["RS256"]
    jwt_issuer: str = "hoso-dev"
    jwt_audience: str = "hoso"
    dev_token_minutes: int = 12 * 60
    max_body_bytes: int = 1024 * 1024
    # Result documents are uploaded by staff (issue-result) and may be larger than any JSON body.
    max_upload_bytes: int = 11 * 1024 * 1024
    # The public lookup needs no login: each client may ask this many times a minute.
    lookup_per_minute: int = 30
    max_page_size: int = 100
    read_your_writes_seconds: float = 3.0
    # Where the first answers to commands sent with an Idempotency-Key are kept, and for how long: MongoDB
    # when MONGO_URL is set (every replica sees the same keys), else this process's memory.
    mongo_url: str | None = None
    namespace: str = "hoso"
    idempotency_hours: float = 24.0
    # How long a repeat waits for the first request with its key to be answered.
    idempotency_wait_seconds: float = 30.0
    # Where the browser's way back from a payment provider goes on to: the portal's page, which shows the
    # outcome on the dossier's detail. Empty: payment's own small page (a gateway serving no portal).
    payment_return_page: str = "/thanh-toan/ket-qua"
    # On SIGTERM, how long the requests under way may take to finish.
    shutdown_grace_seconds: int = 10
    # Signs the portal's CSRF tokens; random per process unless set (several gateway replicas need one).
    portal_secret: SecretStr = Field(default_factory=lambda: SecretStr(secrets.token_urlsafe(32)))

    @model_validator(mode="after")
    def refuse_unsafe_configuration(self) -> Self:
        if any(algorithm.lower() == "none" for algorithm in self.jwt_algorithms):
            raise ValueError("JWT_ALGORITHMS must not allow unsigned tokens ('none')")
        if self.environment == "production":
            if self.dev_tokens:
                raise ValueError("DEV_TOKENS must be off in production")
            if (self.jwt_key or "").strip().lower() in PLACEHOLDER_SECRETS:
                raise ValueError("JWT_KEY must be set to the identity provider's key in production")
            if self.portal_secret.get_secret_value().strip().lower() in PLACEHOLDER_SECRETS:
                raise ValueError("PORTAL_SECRET must be a real secret in production")
        elif self.dev_tokens and not self.jwt_key:
            # A fresh secret per start: development tokens never outlive the process that issued them.
            self.jwt_key = secrets.token_urlsafe(32)
            self.jwt_algorithms = ["HS256"]
        return self

"""The gateway's settings: where the services are, how tokens are checked, and the request limits."""

import os
import secrets
from pathlib import Path
from typing import Literal, Self
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset({"", "changeme", "change-me", "secret", "dev", "development", "test"})


class OidcProvider(BaseModel):
    """One OpenID provider people sign in through (the national portal's SSO, VNeID, the Department's own).

    Its endpoints and keys come from `{issuer}/.well-known/openid-configuration`. Whoever signs in through it
    is a citizen, unless the provider is the staff's (`role: staff`) or `staff_role_value` is set: then only
    those whose `roles_claim` holds that value are staff.
    """

    # In the portal's addresses, /dang-nhap/{name}; "gia-han" is the session renewal's.
    name: str = Field(pattern=r"^[a-z0-9-]{1,32}$")
    label: str  # the sign-in button, in Vietnamese: "Đăng nhập bằng VNeID"
    issuer: str
    client_id: str
    client_secret: SecretStr
    redirect_url: str  # registered at the provider: {portal}/dang-nhap/{name}/xong
    scopes: str = "openid profile email phone"
    role: Literal["citizen", "staff"] = "citizen"
    roles_claim: str = "roles"
    staff_role_value: str | None = None
    # The `aud` of the API tokens it issues for this API (access tokens as JWTs); JWT_AUDIENCE when unset.
    api_audience: str | None = None

    @field_validator("name")
    @classmethod
    def not_a_portal_address(cls, name: str) -> str:
        if name == "gia-han":
            raise ValueError("'gia-han' is the portal's session renewal, not a provider's name")
        return name


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
    slips_url: str = "http://127.0.0.1:8106"
    # Development tokens (POST /v1/dev/token) are for the embedded run and local services only.
    dev_tokens: bool = False
    # An HMAC secret (HS*) or the identity provider's PEM public key (RS*/ES*).
    jwt_key: str | None = None
    jwt_algorithms: list[str] = ["RS256"]
    jwt_issuer: str = "hoso-dev"
    jwt_audience: str = "hoso"
    # Where the development key is kept (made once, then read): tokens outlive a restart of the gateway.
    jwt_key_file: Path | None = None
    # The OpenID providers (OIDC_PROVIDERS, a JSON list of `OidcProvider`): the portal's sign-in buttons,
    # and the issuers whose API tokens are verified with the keys they publish (JWKS).
    oidc_providers: list[OidcProvider] = []
    # How often at most an issuer's keys are fetched again for a token signed with a key not seen yet.
    jwks_refresh_seconds: float = 30.0
    jwks_max_age_seconds: float = 3600.0
    dev_token_minutes: int = 12 * 60
    max_body_bytes: int = 1024 * 1024
    # The request line and headers together: above the server's usual 16 KB, so that an oversized token
    # still reaches the token check and answers 401 (a token over 16 KB is refused there unread).
    max_header_bytes: int = 128 * 1024
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
    # The Department's office the portal and `/v1/office` show (OFFICE_FILE; none: shared/catalog/office.json).
    office_file: Path | None = None
    # Signs the portal's CSRF tokens; random per process unless set (several gateway replicas need one).
    portal_secret: SecretStr = Field(default_factory=lambda: SecretStr(secrets.token_urlsafe(32)))

    @model_validator(mode="after")
    def refuse_unsafe_configuration(self) -> Self:
        if any(algorithm.lower() == "none" for algorithm in self.jwt_algorithms):
            raise ValueError("JWT_ALGORITHMS must not allow unsigned tokens ('none')")
        if self.environment == "production":
            if self.dev_tokens:
                raise ValueError("DEV_TOKENS must be off in production")
            if not self.oidc_providers and (self.jwt_key or "").strip().lower() in PLACEHOLDER_SECRETS:
                raise ValueError("production needs OIDC_PROVIDERS or JWT_KEY (the identity provider's key)")
            if self.jwt_key is not None and self.jwt_key.strip().lower() in PLACEHOLDER_SECRETS:
                raise ValueError("JWT_KEY must be the identity provider's key in production")
            for provider in self.oidc_providers:
                _refuse_unsafe_provider(provider)
            if self.portal_secret.get_secret_value().strip().lower() in PLACEHOLDER_SECRETS:
                raise ValueError("PORTAL_SECRET must be a real secret in production")
        elif self.dev_tokens and not self.jwt_key:
            # A fresh secret, or the one kept for this run: development tokens live as long as the run.
            self.jwt_key = kept_secret(self.jwt_key_file)
            self.jwt_algorithms = ["HS256"]
        for part in ("name", "issuer"):
            # One issuer, one set of rules: its API tokens must never be read by a second provider's roles.
            values = [getattr(provider, part) for provider in self.oidc_providers]
            if len(set(values)) != len(values):
                raise ValueError(f"OIDC_PROVIDERS: each provider needs an {part} of its own")
        return self


def _refuse_unsafe_provider(provider: OidcProvider) -> None:
    if provider.client_secret.get_secret_value().strip().lower() in PLACEHOLDER_SECRETS:
        raise ValueError(f"OIDC_PROVIDERS: {provider.name}'s client_secret must be a real secret in production")
    for url in (provider.issuer, provider.redirect_url):
        if urlsplit(url).scheme != "https":
            raise ValueError(f"OIDC_PROVIDERS: {provider.name} must use https in production ({url})")


def kept_secret(key_file: Path | None) -> str:
    """A random secret, kept in `key_file` when given (read if it is there, else made and written)."""
    if key_file is None:
        return secrets.token_urlsafe(32)
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(32)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    # Readable by this user only, and written whole: a second gateway starting at once reads a full key.
    temporary = key_file.with_name(f".{key_file.name}.{os.getpid()}")
    temporary.write_text(key)
    temporary.chmod(0o600)
    try:
        os.link(temporary, key_file)  # fails if another process made it first: then theirs is the key
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return key_file.read_text().strip()

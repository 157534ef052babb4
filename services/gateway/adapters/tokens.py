"""Who is calling, from a bearer token: the issuers the gateway trusts, and the tokens it signs itself.

Three kinds of token verify: the OpenID providers' (their keys fetched from their JWKS, picked by `kid`),
the static key's (`JWT_KEY`, for simple setups and the development tokens), and the portal's sessions,
which the gateway signs itself once a provider has signed a person in. Whatever the kind, the token's
issuer chooses the key and the algorithms before anything is trusted (never the token's own `alg` alone),
and the audience, expiry, not-before and a non-empty subject are checked. A token that verified is
remembered until it expires (adapters/verified_tokens.py says why that accepts nothing more).
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from services.gateway.adapters.jwks import ProviderKeys, ProviderUnreachable, UnknownKey
from services.gateway.adapters.verified_tokens import VerifiedTokens
from services.gateway.schemas import DevTokenRequest, Role
from services.gateway.settings import GatewaySettings, OidcProvider

ROLES: frozenset[str] = frozenset({"citizen", "staff"})
# The portal's own session tokens: signed by the gateway, for the gateway only.
PORTAL_ISSUER = "hoso-portal"
# The algorithms a provider's published public keys may sign with; never "none", never an HMAC.
PUBLIC_KEY_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]
# Far above any real token (a few KB), far below what would cost anything to parse: bigger is refused unread.
MAX_TOKEN_BYTES = 16 * 1024
LEEWAY_SECONDS = 30


class InvalidToken(Exception):
    """The token is missing, forged, expired or for someone else; the reason stays out of the response."""


class KeysUnavailable(Exception):
    """The token's provider cannot be asked for its keys just now: neither yes nor no (503)."""


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: the account id (`sub`), the name, the contact details and the roles."""

    id: str
    name: str
    email: str | None
    roles: frozenset[str]
    phone: str | None = None

    def has(self, role: Role) -> bool:
        return role in self.roles


def roles_from_provider(claims: dict[str, Any], provider: OidcProvider) -> frozenset[str]:
    """Citizens by default; staff from the staff's provider, or where its role claim holds the staff value."""
    held = claims.get(provider.roles_claim, [])
    held = [held] if isinstance(held, str) else held if isinstance(held, list) else []
    if provider.staff_role_value is not None:
        return frozenset({"staff" if provider.staff_role_value in held else "citizen"})
    return frozenset({provider.role})


def principal_of(claims: dict[str, Any], roles: frozenset[str]) -> Principal:
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.strip():
        raise InvalidToken("no subject")
    if not roles & ROLES:
        raise InvalidToken("no known role")

    def text(name: str) -> str | None:
        value = claims.get(name)
        return value if isinstance(value, str) and value else None

    return Principal(id=subject, name=text("name") or "", email=text("email"), roles=roles & ROLES,
                     phone=text("phone_number"))


class TokenVerifier:
    """Verifies bearer tokens against every issuer the settings trust; signs the portal's session tokens."""

    def __init__(self, settings: GatewaySettings, provider_keys: dict[str, ProviderKeys],
                 verified: VerifiedTokens | None = None) -> None:
        self._settings = settings
        self._providers = {provider.issuer: (provider, provider_keys[provider.name])
                           for provider in settings.oidc_providers}
        self._session_key = hmac.new(settings.portal_secret.get_secret_value().encode(), b"portal-session",
                                     hashlib.sha256).digest()
        self._verified = verified if verified is not None else VerifiedTokens()

    def verify_local(self, token: str) -> Principal:
        """A token this gateway can check without asking anyone: a portal session's or the static key's."""
        remembered = self._verified.recall(token)
        if remembered is not None and remembered.provider_keys is None:
            return remembered.principal
        issuer = _unverified_issuer(token)
        if issuer == PORTAL_ISSUER:
            claims = self._decode(token, self._session_key, ["HS256"], PORTAL_ISSUER)
        elif self._settings.jwt_key and issuer == self._settings.jwt_issuer:
            settings = self._settings
            claims = self._decode(token, settings.jwt_key, settings.jwt_algorithms, settings.jwt_issuer)
        else:
            raise InvalidToken("issuer not trusted here")
        principal = principal_of(claims, _roles_claim(claims))
        self._verified.remember(token, principal, claims, LEEWAY_SECONDS)
        return principal

    async def verify(self, token: str) -> Principal:
        """Any token the gateway trusts, a provider's verified with the key its JWKS publishes."""
        remembered = self._verified.recall(token)
        if remembered is not None:
            if remembered.provider_keys is None:
                return remembered.principal
            # Only while the provider still publishes the very key it was verified with.
            if await _key_of(remembered.provider_keys, remembered.kid) is remembered.key:
                return remembered.principal
        issuer = _unverified_issuer(token)
        if issuer not in self._providers:
            return self.verify_local(token)
        provider, keys = self._providers[issuer]
        kid = _unverified_header(token).get("kid")
        if kid is not None and not isinstance(kid, str):
            raise InvalidToken("kid is not a string")
        key = await _key_of(keys, kid)
        # The key's own algorithm, bound to it: an "HS256" header with the public key as its secret fails.
        claims = self._decode(token, key, PUBLIC_KEY_ALGORITHMS, issuer,
                              audience=provider.api_audience or self._settings.jwt_audience)
        principal = principal_of(claims, roles_from_provider(claims, provider))
        self._verified.remember(token, principal, claims, LEEWAY_SECONDS, provider_keys=keys, kid=kid, key=key)
        return principal

    def issue_session(self, principal: Principal, provider: str, lifetime_seconds: int) -> str:
        """The portal's session token for a person a provider has signed in; it expires with theirs."""
        now = datetime.now(UTC)
        claims = {"sub": principal.id, "name": principal.name, "email": principal.email,
                  "phone_number": principal.phone, "roles": sorted(principal.roles), "idp": provider,
                  "iss": PORTAL_ISSUER, "aud": self._settings.jwt_audience, "iat": now,
                  "exp": now + timedelta(seconds=lifetime_seconds),
                  "jti": secrets.token_urlsafe(16)}  # a new session id at every sign-in
        return jwt.encode({k: v for k, v in claims.items() if v is not None}, self._session_key, algorithm="HS256")

    def _decode(self, token: str, key: Any, algorithms: list[str], issuer: str,
                audience: str | None = None) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token, key, algorithms=algorithms, audience=audience or self._settings.jwt_audience,
                issuer=issuer, leeway=LEEWAY_SECONDS, options={"require": ["sub", "exp", "iss", "aud"]})
        except jwt.PyJWTError as error:
            raise InvalidToken(type(error).__name__) from None
        return claims


async def _key_of(keys: ProviderKeys, kid: str | None) -> jwt.PyJWK:
    try:
        return await keys.key_for(kid)
    except UnknownKey:
        raise InvalidToken("unknown kid") from None
    except ProviderUnreachable as error:
        raise KeysUnavailable(str(error)) from None


def _unverified_header(token: str) -> dict[str, Any]:
    if len(token) > MAX_TOKEN_BYTES:
        raise InvalidToken("too large")
    try:
        header: dict[str, Any] = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise InvalidToken(type(error).__name__) from None
    return header


def _unverified_issuer(token: str) -> str | None:
    """Only to choose which key to check the token with; nothing else is read before that check."""
    _unverified_header(token)
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as error:
        raise InvalidToken(type(error).__name__) from None
    issuer = claims.get("iss")
    return issuer if isinstance(issuer, str) else None


def _roles_claim(claims: dict[str, Any]) -> frozenset[str]:
    roles = claims.get("roles", [])
    roles = [roles] if isinstance(roles, str) else roles
    return frozenset(role for role in roles if isinstance(role, str)) if isinstance(roles, list) else frozenset()


def issue_dev_token(request: DevTokenRequest, settings: GatewaySettings) -> tuple[str, int]:
    """A token signed with this run's development key; answers it with its lifetime in seconds."""
    assert settings.dev_tokens and settings.jwt_key, "dev tokens are off"
    lifetime = timedelta(minutes=settings.dev_token_minutes)
    now = datetime.now(UTC)
    claims = {"sub": request.sub, "name": request.name, "email": request.email, "roles": request.roles,
              **({"phone_number": request.phone_number} if request.phone_number else {}),
              "iss": settings.jwt_issuer, "aud": settings.jwt_audience, "iat": now, "exp": now + lifetime}
    token = jwt.encode(claims, settings.jwt_key, algorithm=settings.jwt_algorithms[0])
    return token, int(lifetime.total_seconds())

"""Who is calling, from the identity provider's bearer tokens; and the development tokens.

Verification checks the signature with an allowed algorithm, the issuer, the audience and the expiry;
development tokens are signed by this process itself, only where DEV_TOKENS is on.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from services.gateway.schemas import DevTokenRequest, Role
from services.gateway.settings import GatewaySettings

ROLES: frozenset[str] = frozenset({"citizen", "staff"})


class InvalidToken(Exception):
    """The token is missing, forged, expired or for someone else; the reason stays out of the response."""


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: the account id (`sub`), the registered email and the roles."""

    id: str
    name: str
    email: str | None
    roles: frozenset[str]

    def has(self, role: Role) -> bool:
        return role in self.roles


def verify_token(token: str, settings: GatewaySettings) -> Principal:
    if not settings.jwt_key:
        raise InvalidToken("no key configured")
    try:
        claims: dict[str, Any] = jwt.decode(
            token, settings.jwt_key, algorithms=settings.jwt_algorithms,
            audience=settings.jwt_audience, issuer=settings.jwt_issuer,
            options={"require": ["sub", "exp", "iss", "aud"]},
        )
    except jwt.PyJWTError as error:
        raise InvalidToken(type(error).__name__) from None
    roles = claims.get("roles", [])
    if isinstance(roles, str):
        roles = [roles]
    if not isinstance(roles, list) or not set(roles) & ROLES:
        raise InvalidToken("no known role")
    return Principal(id=str(claims["sub"]), name=str(claims.get("name", "")),
                     email=claims.get("email"), roles=frozenset(roles) & ROLES)


def issue_dev_token(request: DevTokenRequest, settings: GatewaySettings) -> tuple[str, int]:
    """A token signed with this process's development secret; answers it with its lifetime in seconds."""
    assert settings.dev_tokens and settings.jwt_key, "dev tokens are off"
    lifetime = timedelta(minutes=settings.dev_token_minutes)
    now = datetime.now(UTC)
    claims = {"sub": request.sub, "name": request.name, "email": request.email, "roles": request.roles,
              "iss": settings.jwt_issuer, "aud": settings.jwt_audience, "iat": now, "exp": now + lifetime}
    token = jwt.encode(claims, settings.jwt_key, algorithm=settings.jwt_algorithms[0])
    return token, int(lifetime.total_seconds())

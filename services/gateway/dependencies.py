"""What the gateway's routes need (`Gateway`), and the `Annotated` aliases they declare it by.

Bootstrap wires one `Gateway` per app; the aliases give a route its settings, the services behind the
gateway, or who is calling (a citizen or a member of staff).
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.gateway.adapters.backends import Backends
from services.gateway.adapters.oidc import OidcClient
from services.gateway.adapters.rate_limit import RateLimiter
from services.gateway.adapters.tokens import InvalidToken, KeysUnavailable, Principal, TokenVerifier
from services.gateway.settings import GatewaySettings
from shared.logging import get_logger

log = get_logger(__name__)

_bearer = HTTPBearer(auto_error=False)
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


@dataclass(frozen=True)
class Gateway:
    """Everything the gateway's routes and the portal's pages work with."""

    settings: GatewaySettings
    backends: Backends  # the services' internal APIs
    lookup_limiter: RateLimiter  # the public lookup's, per client; each replica counts its own
    tokens: TokenVerifier  # every issuer the gateway trusts, and the portal's session tokens
    sign_in: dict[str, OidcClient]  # the OpenID providers people sign in through, by name


def gateway_of(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


# The dependencies are `async def` although none of them waits: FastAPI runs a plain `def` dependency in a
# worker thread, a hop there and back (and the GIL passed between threads) for each one of every request.
async def get_gateway(request: Request) -> Gateway:
    return gateway_of(request)


async def get_settings(request: Request) -> GatewaySettings:
    return gateway_of(request).settings


async def get_backends(request: Request) -> Backends:
    return gateway_of(request).backends


GatewayDep = Annotated[Gateway, Depends(get_gateway)]
SettingsDep = Annotated[GatewaySettings, Depends(get_settings)]
BackendsDep = Annotated[Backends, Depends(get_backends)]


async def get_principal(
    gateway: GatewayDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise HTTPException(401, headers=_CHALLENGE)
    try:
        return await gateway.tokens.verify(credentials.credentials)
    except InvalidToken as refusal:
        # The reason only (an exception's name, "unknown kid"…): never the token, nor a claim from it.
        log.info("token_refused", reason=str(refusal))
        raise HTTPException(401, detail={"code": "invalid_token",
                                         "message": "Phiên đăng nhập không hợp lệ hoặc đã hết hạn."},
                            headers=_CHALLENGE) from None
    except KeysUnavailable as trouble:
        log.warning("token_keys_unavailable", reason=str(trouble))
        raise HTTPException(503, detail={"code": "identity_provider_unavailable",
                                         "message": "Không kiểm tra được phiên đăng nhập lúc này, vui lòng "
                                                    "thử lại sau."}) from None


async def get_citizen(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    if not principal.has("citizen"):
        raise HTTPException(403)
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]
CitizenDep = Annotated[Principal, Depends(get_citizen)]


async def get_staff(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    if not principal.has("staff"):
        raise HTTPException(403)
    return principal


StaffDep = Annotated[Principal, Depends(get_staff)]

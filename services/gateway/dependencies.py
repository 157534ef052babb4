"""What the gateway's routes are given, as `Annotated` aliases they declare by name: the settings, the
services behind the gateway (adapters), and who is calling (a citizen or a member of staff).
"""

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.gateway.adapters.backends import Backends
from services.gateway.adapters.tokens import InvalidToken, Principal, verify_token
from services.gateway.settings import GatewaySettings

_bearer = HTTPBearer(auto_error=False)
_CHALLENGE = {"WWW-Authenticate": "Bearer"}


def get_settings(request: Request) -> GatewaySettings:
    settings: GatewaySettings = request.app.state.settings
    return settings


def get_backends(request: Request) -> Backends:
    backends: Backends = request.app.state.backends
    return backends


SettingsDep = Annotated[GatewaySettings, Depends(get_settings)]
BackendsDep = Annotated[Backends, Depends(get_backends)]


def get_principal(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise HTTPException(401, headers=_CHALLENGE)
    try:
        return verify_token(credentials.credentials, settings)
    except InvalidToken:
        raise HTTPException(401, detail={"code": "invalid_token",
                                         "message": "Phiên đăng nhập không hợp lệ hoặc đã hết hạn."},
                            headers=_CHALLENGE) from None


def get_citizen(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    if not principal.has("citizen"):
        raise HTTPException(403)
    return principal


CitizenDep = Annotated[Principal, Depends(get_citizen)]


def get_staff(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
    if not principal.has("staff"):
        raise HTTPException(403)
    return principal


StaffDep = Annotated[Principal, Depends(get_staff)]

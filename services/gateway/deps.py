"""The gateway's request dependencies, as `Annotated` aliases routes declare by name."""

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.gateway.auth import InvalidToken, Principal, verify_token
from services.gateway.clients import Backends
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

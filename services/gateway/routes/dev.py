"""Development sign-in: tokens for any citizen or staff account, only where DEV_TOKENS is on."""

from fastapi import APIRouter, HTTPException

from services.gateway.auth import DevTokenRequest, issue_dev_token
from services.gateway.deps import SettingsDep
from services.gateway.schemas import DevToken

router = APIRouter(prefix="/v1/dev", tags=["phát triển"])


@router.post("/token", summary="Cấp token phát triển (chỉ khi chạy thử)")
async def dev_token(body: DevTokenRequest, settings: SettingsDep) -> DevToken:
    if not settings.dev_tokens:
        raise HTTPException(404)
    token, lifetime = issue_dev_token(body, settings)
    return DevToken(access_token=token, expires_in=lifetime)

"""Development sign-in: tokens for any citizen or staff account, only where DEV_TOKENS is on."""

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from services.gateway.adapters.tokens import issue_dev_token
from services.gateway.api.responses import SIGNED_IN, refusals
from services.gateway.dependencies import BackendsDep, PrincipalDep, SettingsDep
from services.gateway.schemas import DevToken, DevTokenRequest

router = APIRouter(prefix="/v1/dev", tags=["phát triển"])


@router.post("/token", summary="Cấp token phát triển (chỉ khi chạy thử)", responses=refusals(400, 404, 409, 413, 422))
async def dev_token(body: DevTokenRequest, settings: SettingsDep) -> DevToken:
    if not settings.dev_tokens:
        raise HTTPException(404)
    token, lifetime = issue_dev_token(body, settings)
    return DevToken(access_token=token, expires_in=lifetime)


@router.get("/mailbox", summary="Hộp thư phát triển: thư đã gửi khi chưa cấu hình SMTP", responses=SIGNED_IN)
async def dev_mailbox(settings: SettingsDep, backends: BackendsDep, principal: PrincipalDep,
                      limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
    """A citizen sees the mail sent to their registered address, staff every mail; nobody without a token."""
    # Development only, like the tokens: the mailbox holds real addresses and dossier details.
    if not settings.dev_tokens:
        raise HTTPException(404)
    if not principal.has("staff") and not principal.email:
        return {"items": []}
    recipient = None if principal.has("staff") else principal.email
    mailbox: dict[str, Any] = await backends.notify.call("GET", "/mailbox", params={"limit": limit, "to": recipient})
    return mailbox


@router.get("/sms", summary="Hộp tin nhắn phát triển: tin nhắn SMS đã gửi khi chưa cấu hình nhà cung cấp")
async def dev_sms_sink(settings: SettingsDep, backends: BackendsDep, principal: PrincipalDep,
                       limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:
    """A citizen sees the SMS sent to their registered phone, staff every SMS; nobody without a token."""
    # Development only, like the mailbox: the sink holds real phone numbers.
    if not settings.dev_tokens:
        raise HTTPException(404)
    if not principal.has("staff") and not principal.phone:
        return {"items": []}
    recipient = None if principal.has("staff") else principal.phone
    sink: dict[str, Any] = await backends.notify.call("GET", "/sms", params={"limit": limit, "to": recipient})
    return sink

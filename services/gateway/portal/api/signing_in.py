"""Signing in and out: through an OpenID provider (the national portal, VNeID, the Department's own), or,
where development tokens are on (the embedded run), with the development form.

A provider's sign-in is the authorization-code flow (`adapters/oidc.py`): `/dang-nhap/{provider}` sends the
browser there with a fresh state, nonce and PKCE challenge, kept sealed in a cookie for ten minutes;
`/dang-nhap/{provider}/xong` is the way back, where everything is checked before the session opens.
"""

import hmac
import re
import time
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request, Response

from services.gateway.adapters.oidc import OidcClient, SignedIn, SignInFailed
from services.gateway.adapters.tokens import InvalidToken, principal_of, roles_from_provider
from services.gateway.dependencies import gateway_of
from services.gateway.portal.adapters.public_api import ApiError
from services.gateway.portal.dependencies import ApiDep, PageNotFound
from services.gateway.portal.pages import go, render
from services.gateway.portal.problems import Problem, explain
from services.gateway.portal.session import (
    check_csrf,
    end_session,
    forget_signing_in,
    leave_notice,
    provider_session,
    remember_provider,
    remember_signing_in,
    signing_in,
    start_session,
    visitor_of,
)
from shared.logging import get_logger

log = get_logger(__name__)
router = APIRouter(include_in_schema=False)

ROLES = {"citizen": "Người dân", "staff": "Cán bộ tiếp nhận"}
FAILED = Problem("Đăng nhập không thành công: không xác nhận được thông tin từ hệ thống định danh. "
                 "Vui lòng đăng nhập lại.")
STALE = Problem("Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Vui lòng đăng nhập lại.")


@router.get("/dang-nhap")
async def sign_in_page(request: Request) -> Response:
    return _sign_in_form(request, {"role": "citizen", "name": "", "email": "", "phone": ""})


@router.get("/dang-nhap/gia-han")
async def renew_session(request: Request) -> Response:
    """An expired session renewed with the provider's refresh token, where it granted one; then back."""
    back = _safe_next(request.query_params.get("tiep")) or "/"
    kept = provider_session(request)
    client = _client(request, kept.get("p") if kept else None)
    if kept is None or client is None or not kept.get("r"):
        return without_session(request, f"/dang-nhap?tiep={back}", "expired")
    try:
        signed_in = await client.refresh(str(kept["r"]), str(kept.get("s", "")))
        return _open_session(request, client, signed_in, back)
    except (SignInFailed, InvalidToken) as failure:
        log.info("session_renewal_refused", provider=client.provider.name, reason=str(failure))
        return without_session(request, f"/dang-nhap?tiep={back}", "expired")


@router.get("/dang-nhap/{name}")
async def sign_in_with_provider(request: Request, name: str) -> Response:
    client = _client(request, name)
    if client is None:
        raise PageNotFound()
    try:
        start = await client.start()
    except SignInFailed as failure:
        log.warning("sign_in_provider_unreachable", provider=name, reason=str(failure))
        return _sign_in_form(request, {}, Problem("Hệ thống định danh tạm thời không truy cập được. Vui lòng "
                                                  "thử lại sau."), 503)
    response = go(request, start.url)
    remember_signing_in(request, response, {"p": name, "s": start.state, "n": start.nonce, "v": start.verifier,
                                            "t": _safe_next(request.query_params.get("tiep"))})
    return response


@router.get("/dang-nhap/{name}/xong")
async def back_from_provider(request: Request, name: str) -> Response:
    client = _client(request, name)
    if client is None:
        raise PageNotFound()
    response = await _finish_sign_in(request, client)
    forget_signing_in(response)  # a sign-in's state is good for one way back, whatever it brought
    return response


async def _finish_sign_in(request: Request, client: OidcClient) -> Response:
    name, params, under_way = client.provider.name, request.query_params, signing_in(request)
    if under_way is None or under_way.get("p") != name or not _same(params.get("state"), under_way.get("s")):
        log.info("sign_in_refused", provider=name, reason="state missing or not this browser's")
        return _sign_in_form(request, {}, STALE, 400)
    if "error" in params or not params.get("code"):
        log.info("sign_in_refused", provider=name, reason=f"provider answered {params.get('error', 'no code')}"[:80])
        return _sign_in_form(request, {}, FAILED, 401)
    try:
        signed_in = await client.finish(str(params["code"]), str(under_way["v"]), str(under_way["n"]))
        return _open_session(request, client, signed_in, under_way.get("t"))
    except (SignInFailed, InvalidToken) as failure:
        log.info("sign_in_refused", provider=name, reason=str(failure))
        return _sign_in_form(request, {}, FAILED, 401)


@router.post("/dang-nhap")
async def sign_in(request: Request, api: ApiDep) -> Response:
    form = await request.form()
    check_csrf(request, form)
    if not _dev_tokens(request):
        return _sign_in_form(request, {}, status=404)
    entered = {name: str(form.get(name, "")).strip() for name in ("role", "name", "email", "phone")}
    wrong = {}
    if entered["role"] not in ROLES:
        wrong["role"] = "Vui lòng chọn loại tài khoản."
    if not entered["name"]:
        wrong["name"] = "Vui lòng nhập họ và tên."
    if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", entered["email"]):
        wrong["email"] = "Vui lòng nhập địa chỉ thư điện tử hợp lệ, ví dụ ten@example.vn."
    phone = entered["phone"].replace(" ", "")
    if phone and not re.match(r"^\+?[0-9]{9,15}$", phone):
        wrong["phone"] = "Vui lòng nhập số điện thoại hợp lệ, ví dụ 0912345678, hoặc để trống."
    if wrong:
        return _sign_in_form(request, entered, Problem("Vui lòng kiểm tra lại thông tin đăng nhập.", wrong), 422)
    try:
        # The account is the email: signing in again with it finds the same dossiers.
        issued = await api.call("POST", "/v1/dev/token", json={
            "sub": entered["email"].lower(), "name": entered["name"], "email": entered["email"],
            "roles": [entered["role"]], **({"phone_number": phone} if phone else {})})
    except ApiError as error:
        return _sign_in_form(request, entered, explain(error), error.status)
    home = "/can-bo" if entered["role"] == "staff" else "/"
    response = go(request, _safe_next(request.query_params.get("tiep")) or home, "signed_in")
    start_session(request, response, issued["access_token"], issued["expires_in"])
    return response


@router.post("/dang-xuat")
async def sign_out(request: Request) -> Response:
    """The portal's session ends here; the provider's too, where it offers RP-initiated logout."""
    check_csrf(request, await request.form())
    kept = provider_session(request)
    client = _client(request, kept.get("p") if kept else None)
    after = None
    if kept is not None and client is not None:
        after = await client.end_session_url(str(kept.get("i") or "") or None, _signed_out_url(client))
    return without_session(request, after or "/dang-nhap", "signed_out")


def without_session(request: Request, url: str, notice: str) -> Response:
    """On to `url` with the session's cookies gone, and a notice that stays (set after they went)."""
    response = go(request, url)
    end_session(response)
    leave_notice(request, response, notice)
    return response


def _open_session(request: Request, client: OidcClient, signed_in: SignedIn, wanted: Any) -> Response:
    principal = principal_of(signed_in.claims, roles_from_provider(signed_in.claims, client.provider))
    expiry = signed_in.claims.get("exp")
    lifetimes = [int(expiry - time.time())] if isinstance(expiry, int | float) else []
    if signed_in.expires_in is not None:
        lifetimes.append(signed_in.expires_in)
    lifetime = min(lifetimes or [0])
    if lifetime <= 0:
        raise SignInFailed("the tokens have already expired")
    token = gateway_of(request).tokens.issue_session(principal, client.provider.name, lifetime)
    home = "/can-bo" if principal.has("staff") else "/"
    response = go(request, _safe_next(wanted if isinstance(wanted, str) else None) or home, "signed_in")
    start_session(request, response, token, lifetime)
    remember_provider(request, response, {"p": client.provider.name, "s": principal.id, "i": signed_in.id_token,
                                          "r": signed_in.refresh_token})
    log.info("signed_in", provider=client.provider.name, roles=sorted(principal.roles))
    return response


def _client(request: Request, name: Any) -> OidcClient | None:
    return gateway_of(request).sign_in.get(name) if isinstance(name, str) else None


def _signed_out_url(client: OidcClient) -> str:
    """Back to this portal's sign-in page: the origin of the redirect URL registered at the provider."""
    redirect = urlsplit(client.provider.redirect_url)
    return f"{redirect.scheme}://{redirect.netloc}/dang-nhap"


def _same(sent: str | None, kept: Any) -> bool:
    return isinstance(sent, str) and isinstance(kept, str) and hmac.compare_digest(sent, kept)


def _sign_in_form(request: Request, entered: dict[str, str], trouble: Problem | None = None,
                  status: int = 200) -> Response:
    visitor_of(request)
    providers = [(client.provider.name, client.provider.label) for client in gateway_of(request).sign_in.values()]
    return render(request, "sign_in.html", status=status, title="Đăng nhập", entered=entered, roles=ROLES,
                  available=_dev_tokens(request), providers=providers, problem=trouble,
                  next=_safe_next(request.query_params.get("tiep")))


def _dev_tokens(request: Request) -> bool:
    return gateway_of(request).settings.dev_tokens


def _safe_next(wanted: str | None) -> str | None:
    """Only a path on this site: never somewhere else (`//host`, `/\\host`) after signing in."""
    if wanted and wanted.startswith("/") and not wanted.startswith(("//", "/\\")) and not wanted.startswith(
            "/dang-nhap"):
        return wanted
    return None

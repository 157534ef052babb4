"""Who is at the browser, and the portal's cookies: the session, the CSRF token, the one-time notice.

The session cookie holds the person's API token (HttpOnly, SameSite=Lax, Secure over https), so the
portal calls the API as that person and stores nothing itself. Every state-changing form carries a CSRF
token: an HMAC, under the gateway's `PORTAL_SECRET`, of the session's token (or, before signing in, of a
random nonce kept in its own cookie) — one per session, checked in constant time.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import Request, Response

from services.gateway.adapters.tokens import InvalidToken, Principal
from services.gateway.dependencies import gateway_of
from services.gateway.portal.form_keys import posted_form_key
from services.gateway.portal.sealed import seal, unseal
from services.gateway.settings import GatewaySettings

SESSION_COOKIE = "hoso_phien"
NONCE_COOKIE = "hoso_csrf"
NOTICE_COOKIE = "hoso_tb"
# The dossier being paid online: the way back from the provider's checkout lands on "/", which sends the
# browser on to that dossier.
PAYING_COOKIE = "hoso_tt"
# A sign-in at a provider under way (state, nonce, PKCE verifier), and what the session needs from its
# provider afterwards (refresh token, ID token for signing out there); both sealed.
SIGNING_IN_COOKIE = "hoso_dn"
PROVIDER_COOKIE = "hoso_idp"
SIGNING_IN_SECONDS = 10 * 60
PROVIDER_SECONDS = 12 * 60 * 60
CSRF_FIELD = "csrf"


class CsrfRefused(Exception):
    """A state-changing form came without this session's CSRF token (forged, or from an old session)."""


@dataclass(frozen=True)
class Visitor:
    """The person at the browser: their principal when signed in, and the CSRF token of their forms."""

    principal: Principal | None
    csrf: str
    new_nonce: str | None = None  # set on the response when the browser had none

    @property
    def is_citizen(self) -> bool:
        return self.principal is not None and self.principal.has("citizen")

    @property
    def is_staff(self) -> bool:
        return self.principal is not None and self.principal.has("staff")


def session_token(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


def visitor_of(request: Request) -> Visitor:
    """The visitor of this request, worked out once."""
    known: Visitor | None = getattr(request.state, "visitor", None)
    if known is not None:
        return known
    settings = gateway_of(request).settings
    token = session_token(request)
    principal = None
    if token:
        try:
            principal = gateway_of(request).tokens.verify_local(token)
        except InvalidToken:
            token = None
    new_nonce = None
    basis = token or request.cookies.get(NONCE_COOKIE)
    if not basis:
        basis = new_nonce = secrets.token_urlsafe(24)
    visitor = Visitor(principal, _csrf_for(basis, settings), new_nonce)
    request.state.visitor = visitor
    return visitor


def check_csrf(request: Request, form: Any) -> None:
    """Refuse a form not drawn for this browser; keep the form's one-time key for the commands it sends."""
    sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or not hmac.compare_digest(sent, visitor_of(request).csrf):
        raise CsrfRefused()
    request.state.form_key = posted_form_key(form)


def keep_cookies(request: Request, response: Response) -> None:
    """What every portal answer carries: the CSRF nonce for a browser that had none."""
    visitor = visitor_of(request)
    if visitor.new_nonce:
        _set(request, response, NONCE_COOKIE, visitor.new_nonce, max_age=None, samesite="strict")


def start_session(request: Request, response: Response, token: str, lifetime_seconds: int) -> None:
    """A new session: a new token is a new session id, and the CSRF nonce of before signing in is replaced.

    Whatever a provider left of an earlier session goes too (a provider's sign-in sets its own afterwards)."""
    response.delete_cookie(PROVIDER_COOKIE, path="/")
    _set(request, response, SESSION_COOKIE, token, max_age=lifetime_seconds)
    _set(request, response, NONCE_COOKIE, secrets.token_urlsafe(24), max_age=None, samesite="strict")


def end_session(response: Response) -> None:
    for name in (SESSION_COOKIE, PAYING_COOKIE, NOTICE_COOKIE, PROVIDER_COOKIE, SIGNING_IN_COOKIE):
        response.delete_cookie(name, path="/")


def remember_signing_in(request: Request, response: Response, value: dict[str, Any]) -> None:
    _set(request, response, SIGNING_IN_COOKIE, _seal(request, value, SIGNING_IN_COOKIE),
         max_age=SIGNING_IN_SECONDS)


def signing_in(request: Request) -> dict[str, Any] | None:
    """The sign-in under way in this browser, if any (used once: `forget_signing_in` on the answer)."""
    return _unseal(request, SIGNING_IN_COOKIE, SIGNING_IN_SECONDS)


def forget_signing_in(response: Response) -> None:
    response.delete_cookie(SIGNING_IN_COOKIE, path="/")


def remember_provider(request: Request, response: Response, value: dict[str, Any]) -> None:
    _set(request, response, PROVIDER_COOKIE, _seal(request, value, PROVIDER_COOKIE), max_age=PROVIDER_SECONDS)


def provider_session(request: Request) -> dict[str, Any] | None:
    return _unseal(request, PROVIDER_COOKIE, PROVIDER_SECONDS)


def _seal(request: Request, value: dict[str, Any], purpose: str) -> str:
    return seal(value, gateway_of(request).settings.portal_secret.get_secret_value(), purpose)


def _unseal(request: Request, name: str, max_age: int) -> dict[str, Any] | None:
    secret = gateway_of(request).settings.portal_secret.get_secret_value()
    return unseal(request.cookies.get(name), secret, name, max_age)


def leave_notice(request: Request, response: Response, code: str) -> None:
    """A one-time notice for the next page (by code: the text never comes from the browser)."""
    _set(request, response, NOTICE_COOKIE, code, max_age=300)


def take_notice(request: Request) -> str | None:
    """The notice left for this page, if any (`forget_notice` on the answer that shows it)."""
    return request.cookies.get(NOTICE_COOKIE) or None


def forget_notice(response: Response) -> None:
    response.delete_cookie(NOTICE_COOKIE, path="/")


def remember_paying(request: Request, response: Response, dossier_id: str) -> None:
    _set(request, response, PAYING_COOKIE, dossier_id, max_age=60 * 60)


def _csrf_key(settings: GatewaySettings) -> bytes:
    return settings.portal_secret.get_secret_value().encode()


def _csrf_for(basis: str, settings: GatewaySettings) -> str:
    return hmac.new(_csrf_key(settings), f"csrf:{basis}".encode(), hashlib.sha256).hexdigest()


def _set(request: Request, response: Response, name: str, value: str, *, max_age: int | None,
         samesite: Literal["lax", "strict"] = "lax") -> None:
    # Secure whenever the browser came over https (behind a proxy, uvicorn's trusted forwarded headers).
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite=samesite,
                        secure=request.url.scheme == "https")

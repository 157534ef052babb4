"""The portal as an OpenID Connect client (relying party) of one provider: the authorization-code flow.

PKCE (S256), `state` and `nonce` on the way out; on the way back the code is exchanged at the token
endpoint with the client's secret and the PKCE verifier, and the ID token is checked as OpenID Connect Core
§3.1.3.7 asks: signature by the provider's published key, issuer, audience (and `azp`), expiry, issued-at and
the nonce. The claims come from the ID token and, where the provider has one, its userinfo endpoint.
"""

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import jwt

from services.gateway.adapters.jwks import Discovery, ProviderKeys, ProviderUnreachable, UnknownKey
from services.gateway.adapters.tokens import LEEWAY_SECONDS, PUBLIC_KEY_ALGORITHMS
from services.gateway.settings import OidcProvider


class SignInFailed(Exception):
    """The provider's answer does not prove who signed in; the reason goes to the log, never to the page."""


@dataclass(frozen=True)
class SignInStart:
    """What the browser carries to the provider, and what the portal keeps to check the way back."""

    url: str
    state: str
    nonce: str
    verifier: str


@dataclass(frozen=True)
class SignedIn:
    """The provider's proof of who signed in: the checked claims and the tokens it granted."""

    claims: dict[str, Any]
    id_token: str
    expires_in: int | None  # the access token's lifetime, when the provider says it
    refresh_token: str | None


class OidcClient:
    """One configured provider, reached through its discovery document."""

    def __init__(self, provider: OidcProvider, discovery: Discovery, keys: ProviderKeys,
                 http: httpx.AsyncClient) -> None:
        self.provider, self.discovery, self.keys, self._http = provider, discovery, keys, http

    async def start(self) -> SignInStart:
        state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        query = {"response_type": "code", "client_id": self.provider.client_id,
                 "redirect_uri": self.provider.redirect_url, "scope": self.provider.scopes, "state": state,
                 "nonce": nonce, "code_challenge": challenge, "code_challenge_method": "S256"}
        return SignInStart(f"{await self._endpoint('authorization_endpoint')}?{urlencode(query)}",
                           state, nonce, verifier)

    async def finish(self, code: str, verifier: str, nonce: str) -> SignedIn:
        granted = await self._token_request({"grant_type": "authorization_code", "code": code,
                                             "redirect_uri": self.provider.redirect_url, "code_verifier": verifier})
        id_token = granted.get("id_token")
        if not isinstance(id_token, str):
            raise SignInFailed("no id_token")
        claims = await self.verify_id_token(id_token, nonce)
        return await self._signed_in(granted, id_token, claims)

    async def refresh(self, refresh_token: str, subject: str) -> SignedIn:
        """New tokens for the same person (OpenID Connect Core §12.2: the same `sub`, no nonce)."""
        granted = await self._token_request({"grant_type": "refresh_token", "refresh_token": refresh_token})
        id_token = granted.get("id_token")
        claims = await self.verify_id_token(id_token, None) if isinstance(id_token, str) else {"sub": subject}
        if claims.get("sub") != subject:
            raise SignInFailed("refreshed for another subject")
        return await self._signed_in(granted, id_token if isinstance(id_token, str) else "", claims)

    async def verify_id_token(self, id_token: str, nonce: str | None) -> dict[str, Any]:
        try:
            kid = jwt.get_unverified_header(id_token).get("kid")
            if kid is not None and not isinstance(kid, str):
                raise SignInFailed("id_token: kid is not a string")
            key = await self.keys.key_for(kid)
            claims: dict[str, Any] = jwt.decode(
                id_token, key, algorithms=PUBLIC_KEY_ALGORITHMS, audience=self.provider.client_id,
                issuer=self.provider.issuer, leeway=LEEWAY_SECONDS,
                options={"require": ["sub", "exp", "iat", "iss", "aud"]})
        except (jwt.PyJWTError, UnknownKey, ProviderUnreachable) as error:
            raise SignInFailed(f"id_token: {type(error).__name__}") from None
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.provider.client_id:
            raise SignInFailed("id_token: azp is not this client")
        if nonce is not None and not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
            raise SignInFailed("id_token: nonce does not match")
        return claims

    async def end_session_url(self, id_token: str | None, after: str) -> str | None:
        """Where the browser ends its session at the provider (RP-initiated logout), if the provider can."""
        try:
            endpoint = await self.discovery.endpoint("end_session_endpoint")
        except ProviderUnreachable:
            return None
        if endpoint is None:
            return None
        query = {"client_id": self.provider.client_id, "post_logout_redirect_uri": after}
        if id_token:
            query["id_token_hint"] = id_token
        return f"{endpoint}?{urlencode(query)}"

    async def _signed_in(self, granted: dict[str, Any], id_token: str, claims: dict[str, Any]) -> SignedIn:
        access_token = granted.get("access_token")
        userinfo_endpoint = await self.discovery.endpoint("userinfo_endpoint")
        if userinfo_endpoint and isinstance(access_token, str):
            claims = {**claims, **await self._userinfo(userinfo_endpoint, access_token, claims["sub"])}
        expires_in = granted.get("expires_in")
        refresh_token = granted.get("refresh_token")
        return SignedIn(claims, id_token, expires_in if isinstance(expires_in, int) else None,
                        refresh_token if isinstance(refresh_token, str) else None)

    async def _userinfo(self, endpoint: str, access_token: str, subject: str) -> dict[str, Any]:
        try:
            response = await self._http.get(endpoint, headers={"Authorization": f"Bearer {access_token}",
                                                               "Accept": "application/json"})
        except httpx.HTTPError as error:
            raise SignInFailed(f"userinfo: {type(error).__name__}") from None
        if response.status_code != 200 or "json" not in response.headers.get("content-type", ""):
            raise SignInFailed(f"userinfo: HTTP {response.status_code}")
        info = response.json()
        # Core §5.3.2: the userinfo's sub must be the ID token's, or the answer is about someone else.
        if not isinstance(info, dict) or info.get("sub") != subject:
            raise SignInFailed("userinfo: another subject")
        return info

    async def _token_request(self, form: dict[str, str]) -> dict[str, Any]:
        endpoint = await self._endpoint("token_endpoint")
        # RFC 6749 §2.3.1: each part form-encoded before it goes into the Basic header.
        auth = (quote(self.provider.client_id, safe=""), quote(self.provider.client_secret.get_secret_value(), safe=""))
        try:
            response = await self._http.post(endpoint, data=form, auth=auth, headers={"Accept": "application/json"})
        except httpx.HTTPError as error:
            raise SignInFailed(f"token endpoint: {type(error).__name__}") from None
        if response.status_code != 200:
            raise SignInFailed(f"token endpoint: HTTP {response.status_code}")
        granted = response.json()
        if not isinstance(granted, dict) or str(granted.get("token_type", "")).lower() != "bearer":
            raise SignInFailed("token endpoint: not a bearer grant")
        return granted

    async def _endpoint(self, name: str) -> str:
        try:
            endpoint = await self.discovery.endpoint(name)
        except ProviderUnreachable as error:
            raise SignInFailed(str(error)) from None
        if endpoint is None:
            raise SignInFailed(f"no {name}")
        return endpoint

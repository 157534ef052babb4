"""An OpenID provider's published documents: its discovery document and its signing keys (JWKS).

Both are fetched once and cached. A token signed with a key not in the cache (a `kid` not seen yet) makes the
keys be fetched again, since the provider may have rotated them, but at most once every
`refresh_seconds`: a flood of tokens with forged `kid`s costs the provider one request, not one each.
"""

import asyncio
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt

from shared.logging import get_logger

log = get_logger(__name__)

# Only public keys sign what is verified here: a shared secret in a JWKS ("oct") would let anyone holding
# the published document sign, which is algorithm confusion by another door.
PUBLIC_KEY_TYPES = frozenset({"RSA", "EC", "OKP"})
MAX_DOCUMENT_BYTES = 256 * 1024


class ProviderUnreachable(Exception):
    """The provider's discovery document or keys could not be fetched, or were not what they must be."""


class UnknownKey(Exception):
    """No published key matches the token's `kid`, even after the keys were fetched again (or may be)."""


async def fetch_json(http: httpx.AsyncClient, url: str) -> dict[str, Any]:
    try:
        response = await http.get(url, headers={"Accept": "application/json"})
    except httpx.HTTPError as error:
        raise ProviderUnreachable(f"{url}: {type(error).__name__}") from None
    if response.status_code != 200 or len(response.content) > MAX_DOCUMENT_BYTES:
        raise ProviderUnreachable(f"{url}: HTTP {response.status_code}, {len(response.content)} bytes")
    try:
        document = response.json()
    except ValueError:
        raise ProviderUnreachable(f"{url}: not JSON") from None
    if not isinstance(document, dict):
        raise ProviderUnreachable(f"{url}: not a JSON object")
    return document


class Discovery:
    """`{issuer}/.well-known/openid-configuration`, checked to name the issuer it was fetched for."""

    def __init__(self, issuer: str, http: httpx.AsyncClient, *, max_age_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.issuer = issuer
        self._http, self._max_age, self._clock = http, max_age_seconds, clock
        self._document: dict[str, Any] | None = None
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    async def document(self) -> dict[str, Any]:
        async with self._lock:
            if self._document is None or self._clock() - self._fetched_at > self._max_age:
                url = f"{self.issuer.rstrip('/')}/.well-known/openid-configuration"
                document = await fetch_json(self._http, url)
                # OpenID Connect Discovery 1.0 §4.3: the document must name the very issuer asked for.
                if document.get("issuer") != self.issuer:
                    raise ProviderUnreachable(f"{url} names another issuer")
                self._document, self._fetched_at = document, self._clock()
            return self._document

    async def endpoint(self, name: str) -> str | None:
        value = (await self.document()).get(name)
        return value if isinstance(value, str) and value else None


class ProviderKeys:
    """The provider's signing keys by `kid`, fetched from the `jwks_uri` its discovery document gives.

    The keys are loaded when first needed and again once older than `max_age_seconds` (a failed load is
    tried again at most every `refresh_seconds`, the old keys serving meanwhile). A `kid` not among them
    loads them again at once, the provider having rotated its keys, unless another unknown `kid` did so less
    than `refresh_seconds` ago: then the token is refused without asking.
    """

    def __init__(self, discovery: Discovery, http: httpx.AsyncClient, *, refresh_seconds: float,
                 max_age_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._discovery, self._http = discovery, http
        self._refresh, self._max_age, self._clock = refresh_seconds, max_age_seconds, clock
        self._keys: dict[str | None, jwt.PyJWK] = {}
        self._loaded_at: float | None = None  # the last load that worked
        self._tried_at: float | None = None  # the last load tried, worked or not
        self._refreshed_at: float | None = None  # the last load an unknown kid asked for
        self._trouble = "not loaded yet"
        self._lock = asyncio.Lock()

    async def key_for(self, kid: str | None) -> jwt.PyJWK:
        async with self._lock:  # concurrent tokens share one fetch; the cached path never waits on I/O
            now = self._clock()
            stale = self._loaded_at is None or now - self._loaded_at > self._max_age
            loaded_now = stale and (self._tried_at is None or now - self._tried_at >= self._refresh)
            if loaded_now:
                await self._load()
            key = self._cached(kid)
            if key is None and not loaded_now and self._loaded_at is not None and (
                    self._refreshed_at is None or now - self._refreshed_at >= self._refresh):
                self._refreshed_at = now
                await self._load()
                key = self._cached(kid)
        if key is not None:
            return key
        if self._loaded_at is None:
            raise ProviderUnreachable(self._trouble)
        raise UnknownKey()

    def _cached(self, kid: str | None) -> jwt.PyJWK | None:
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))  # a provider with one key may leave `kid` out
        return self._keys.get(kid)

    async def _load(self) -> None:
        self._tried_at = self._clock()
        try:
            self._keys = await self._fetch()
        except ProviderUnreachable as trouble:
            self._trouble = str(trouble)
            log.warning("jwks_unreachable", issuer=self._discovery.issuer, reason=self._trouble)
            return
        self._loaded_at = self._tried_at
        log.info("jwks_fetched", issuer=self._discovery.issuer, keys=len(self._keys))

    async def _fetch(self) -> dict[str | None, jwt.PyJWK]:
        jwks_uri = await self._discovery.endpoint("jwks_uri")
        if jwks_uri is None:
            raise ProviderUnreachable(f"{self._discovery.issuer} publishes no jwks_uri")
        document = await fetch_json(self._http, jwks_uri)
        keys: dict[str | None, jwt.PyJWK] = {}
        for entry in document.get("keys") or []:
            if not isinstance(entry, dict) or entry.get("kty") not in PUBLIC_KEY_TYPES:
                continue
            if entry.get("use", "sig") != "sig" or "d" in entry:
                continue  # encryption keys, and private keys published by mistake, never verify here
            try:
                keys[entry.get("kid")] = jwt.PyJWK(entry)
            except jwt.PyJWTError:
                log.warning("jwks_key_skipped", issuer=self._discovery.issuer, kid=entry.get("kid"))
        return keys

"""The providers' keys: cached, fetched again for a new kid at once, but at most once per refresh interval
however many forged kids arrive; a provider that cannot be reached is "try later" (503), not "forged"."""

import json
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from services.gateway.adapters.jwks import Discovery, ProviderKeys, ProviderUnreachable, UnknownKey

ISSUER = "https://sso.example.vn"


def public_jwk(kid: str) -> dict[str, Any]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    return {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key)), "kid": kid, "use": "sig"}


class Provider:
    """The provider's two documents over a fake transport, counting how often its keys are asked for."""

    def __init__(self) -> None:
        self.keys = [public_jwk("k1")]
        self.fetches = 0
        self.up = True

    def answer(self, request: httpx.Request) -> httpx.Response:
        if not self.up:
            return httpx.Response(503)
        if request.url.path == "/.well-known/openid-configuration":
            return httpx.Response(200, json={"issuer": ISSUER, "jwks_uri": f"{ISSUER}/jwks"})
        self.fetches += 1
        return httpx.Response(200, json={"keys": self.keys})


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now


def keys_of(provider: Provider, clock: Clock) -> ProviderKeys:
    http = httpx.AsyncClient(transport=httpx.MockTransport(provider.answer))
    return ProviderKeys(Discovery(ISSUER, http, max_age_seconds=3600, clock=clock), http, refresh_seconds=30,
                        max_age_seconds=3600, clock=clock)


async def test_a_flood_of_unknown_kids_costs_one_fetch_per_interval_and_a_rotation_verifies_at_once() -> None:
    provider, clock = Provider(), Clock()
    keys = keys_of(provider, clock)
    assert (await keys.key_for("k1")).key_id == "k1"
    assert provider.fetches == 1
    provider.keys.insert(0, public_jwk("k2"))  # the provider rotates, a second later
    clock.now += 1
    assert (await keys.key_for("k2")).key_id == "k2"  # fetched again at once for the new kid
    assert provider.fetches == 2
    for forged in range(500):
        with pytest.raises(UnknownKey):
            await keys.key_for(f"forged-{forged}")
    assert provider.fetches == 2  # none within the interval
    clock.now += 30
    for forged in range(500):
        with pytest.raises(UnknownKey):
            await keys.key_for(f"forged-again-{forged}")
    assert provider.fetches == 3  # one for the whole second flood
    assert (await keys.key_for("k1")).key_id == "k1"  # the cached keys served all along


async def test_an_unreachable_provider_is_try_later_and_is_not_asked_in_a_loop() -> None:
    provider, clock = Provider(), Clock()
    provider.up = False
    keys = keys_of(provider, clock)
    for _ in range(50):
        with pytest.raises(ProviderUnreachable):
            await keys.key_for("k1")
    provider.up = True
    with pytest.raises(ProviderUnreachable):
        await keys.key_for("k1")  # not tried again within the interval
    clock.now += 30
    assert (await keys.key_for("k1")).key_id == "k1"
    assert provider.fetches == 1


async def test_shared_secrets_and_private_keys_in_a_jwks_never_verify() -> None:
    provider, clock = Provider(), Clock()
    provider.keys = [{"kty": "oct", "k": "c2VjcmV0", "kid": "oct"}, {**public_jwk("enc"), "use": "enc"},
                     {**public_jwk("with-d"), "d": "AQAB"}]
    keys = keys_of(provider, clock)
    for kid in ("oct", "enc", "with-d"):
        with pytest.raises(UnknownKey):
            await keys.key_for(kid)

"""A token that verified is remembered, and never accepted where the full check would refuse it: not past its
expiry (to the second, with PyJWT's own clock driven alongside), not once its provider no longer publishes
its key, not with one byte changed; refusals are never remembered; a few entries at most."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from services.gateway.adapters.jwks import Discovery, ProviderKeys
from services.gateway.adapters.tokens import LEEWAY_SECONDS, InvalidToken, TokenVerifier
from services.gateway.adapters.verified_tokens import VerifiedTokens
from services.gateway.settings import GatewaySettings, OidcProvider

SECRET = "a-static-hmac-key-of-at-least-thirty-two-bytes"
LOCAL = GatewaySettings(jwt_key=SECRET, jwt_algorithms=["HS256"], jwt_issuer="hoso-dev", jwt_audience="hoso")
ISSUER = "https://sso.example.vn"
T0 = datetime(2026, 12, 2, 7, 0, tzinfo=UTC).timestamp()


class Clock:
    """One time for the remembered tokens and for PyJWT's own check (`datetime.now` in jwt.api_jwt)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = T0
        clock = self

        class FrozenDatetime(datetime):
            @classmethod
            def now(cls, tz: Any = None) -> "FrozenDatetime":
                return cls.fromtimestamp(clock.now, tz)

        monkeypatch.setattr(jwt.api_jwt, "datetime", FrozenDatetime)

    def __call__(self) -> float:
        return self.now


def local_token(expires_in: float = 300, **claims: Any) -> str:
    return jwt.encode({"sub": "c-1", "roles": ["citizen"], "iss": "hoso-dev", "aud": "hoso", "exp": T0 + expires_in,
                       **claims}, SECRET, algorithm="HS256")


def test_a_remembered_token_is_refused_from_the_second_the_full_check_refuses_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(monkeypatch)
    remembering = TokenVerifier(LOCAL, {}, VerifiedTokens(clock=clock))
    checking_in_full = TokenVerifier(LOCAL, {}, VerifiedTokens(max_entries=0))
    token = local_token(expires_in=300.7)  # a fractional expiry: PyJWT reads `int(exp)`
    assert remembering.verify_local(token).id == "c-1"
    for at in [T0 + 1, T0 + 300 + LEEWAY_SECONDS - 0.5, T0 + 300 + LEEWAY_SECONDS, T0 + 300 + LEEWAY_SECONDS + 5]:
        clock.now = at
        try:
            full: str | None = checking_in_full.verify_local(token).id
        except InvalidToken:
            full = None
        try:
            remembered: str | None = remembering.verify_local(token).id
        except InvalidToken:
            remembered = None
        assert remembered == full, at - T0
    assert full is None  # the last instants were past the expiry: both refused


def test_the_same_token_is_not_verified_again_but_one_byte_changed_is(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(monkeypatch)
    decoded: list[str] = []
    real_decode = jwt.decode

    def counting_decode(*args: Any, **kwargs: Any) -> Any:
        decoded.append(args[0])
        return real_decode(*args, **kwargs)

    monkeypatch.setattr(jwt, "decode", counting_decode)
    verifier = TokenVerifier(LOCAL, {}, VerifiedTokens(clock=clock))
    token = local_token()
    verifier.verify_local(token)
    checked = len(decoded)
    assert verifier.verify_local(token).id == "c-1"
    assert len(decoded) == checked  # answered from memory
    head, payload, signature = token.split(".")
    tampered = f"{head}.{payload}.{signature[:-2]}{'A' if signature[-2] != 'A' else 'B'}{signature[-1]}"
    for _ in range(2):  # refused, and a refusal is not remembered either
        with pytest.raises(InvalidToken):
            verifier.verify_local(tampered)


def test_a_clock_gone_back_forgets_and_the_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock(monkeypatch)
    memory = VerifiedTokens(max_entries=2, clock=clock)
    verifier = TokenVerifier(LOCAL, {}, memory)
    first, second, third = (local_token(sub=f"c-{n}") for n in (1, 2, 3))
    for token in (first, second, third):
        verifier.verify_local(token)
    assert len(memory) == 2
    assert memory.recall(first) is None and memory.recall(third) is not None  # the oldest went first
    clock.now -= 1
    assert memory.recall(third) is None  # remembered "later" than now: checked in full again


class Provider:
    """An OpenID provider's documents over a fake transport, with a key that signs and can be withdrawn."""

    def __init__(self) -> None:
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private.public_key()))
        self.keys = [{**public, "kid": "k1", "use": "sig"}]

    def answer(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/.well-known/openid-configuration":
            return httpx.Response(200, json={"issuer": ISSUER, "jwks_uri": f"{ISSUER}/jwks"})
        return httpx.Response(200, json={"keys": self.keys})

    def token(self) -> str:
        claims = {"sub": "p-1", "iss": ISSUER, "aud": "hoso", "exp": datetime.now(UTC) + timedelta(minutes=5)}
        return jwt.encode(claims, self.private, algorithm="RS256", headers={"kid": "k1"})


async def test_a_remembered_provider_token_is_refused_once_its_key_is_withdrawn() -> None:
    provider, now = Provider(), [1000.0]
    http = httpx.AsyncClient(transport=httpx.MockTransport(provider.answer))
    keys = ProviderKeys(Discovery(ISSUER, http, max_age_seconds=60, clock=lambda: now[0]), http,
                        refresh_seconds=30, max_age_seconds=60, clock=lambda: now[0])
    settings = GatewaySettings(oidc_providers=[OidcProvider(
        name="sso", label="Đăng nhập", issuer=ISSUER, client_id="hoso", client_secret="s3cret-value-for-tests",
        redirect_url="http://127.0.0.1/dang-nhap/sso/xong")])
    verifier = TokenVerifier(settings, {"sso": keys})
    token = provider.token()
    assert (await verifier.verify(token)).id == "p-1"
    assert (await verifier.verify(token)).id == "p-1"  # remembered, its key still the one published
    provider.keys = []  # withdrawn; the keys are fetched again once older than their max age
    now[0] += 61
    with pytest.raises(InvalidToken):
        await verifier.verify(token)
    await http.aclose()

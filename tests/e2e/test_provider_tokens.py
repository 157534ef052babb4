"""API tokens from a real OpenID provider, verified by the keys it publishes (JWKS), and every bad token
refused with 401 and logged without the token.

The provider is the certified `oidc-provider` on loopback (tests/support/oidc.py); the gateway is `make run`
as a process, configured by OIDC_PROVIDERS as a Department's would be. Good tokens come from the provider
by the code flow; the bad ones are made here, most of them signed with the provider's very key.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tests.support.oidc import API_CLIENT, LoopbackProvider, new_signing_key, oidc_provider, provider_setting
from tests.support.processes import LOG_DIR, free_port, running
from tests.support.waiting import eventually_sync

pytestmark = pytest.mark.oidc

ACCOUNTS = {"cong-dan-an": {"name": "Nguyễn Văn An", "email": "an.nguyen@example.vn", "roles": []},
            "can-bo-lan": {"name": "Nguyễn Thị Lan", "email": "lan@syt.example.vn", "roles": ["can_bo"]}}


@contextmanager
def gateway_trusting(provider: LoopbackProvider, log_name: str) -> Iterator[tuple[str, Path]]:
    """`make run` trusting the provider's tokens (staff: those whose `roles` hold `can_bo`); its log file.

    Keys fetched again for an unknown kid at most every ten minutes: longer than any test here takes, however
    slow the machine, so that "once at most" below is exact."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    setting = provider_setting(provider, API_CLIENT, name="can-bo", label="Đăng nhập cán bộ",
                               staff_role_value="can_bo")
    env = {"PORT": str(port), "DEMO_DATA": "0", "LOG_LEVEL": "INFO", "OIDC_PROVIDERS": json.dumps([setting]),
           "JWKS_REFRESH_SECONDS": "600"}
    log_file = LOG_DIR / f"{log_name}.log"
    with running("services.embedded", env, f"{url}/readyz", log_name):
        yield url, log_file


@pytest.fixture(scope="module")
def provider() -> Iterator[LoopbackProvider]:
    with oidc_provider([], ACCOUNTS, log_name="oidc-provider-tokens") as running_provider:
        yield running_provider


@pytest.fixture(scope="module")
def gateway(provider: LoopbackProvider) -> Iterator[tuple[str, Path]]:
    with gateway_trusting(provider, "embedded-provider-tokens") as started:
        yield started


def status(url: str, token: str, path: str = "/v1/me/status-counts") -> int:
    return httpx.get(f"{url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=15).status_code


def claims(provider: LoopbackProvider, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"iss": provider.issuer, "aud": "hoso", "sub": "cong-dan-an", "name": "Nguyễn Văn An",
            "iat": now, "exp": now + 300, "roles": []}
    return {key: value for key, value in {**base, **changes}.items() if value is not None}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(header: dict[str, Any], payload: dict[str, Any], key: bytes | None = None) -> str:
    """A token put together by hand: with an HMAC under `key`, or with no signature at all."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    signature = b64(hmac.new(key, signing_input.encode(), hashlib.sha256).digest()) if key else ""
    return f"{signing_input}.{signature}"


def public_pem(key: dict[str, Any]) -> bytes:
    """The provider's public key as the PEM an algorithm-confusion attack would use as an HMAC secret."""
    public = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps({k: key[k] for k in ("kty", "n", "e")}))
    assert isinstance(public, RSAPublicKey)
    return public.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)


def test_the_providers_tokens_sign_a_citizen_and_a_clerk_in(provider: LoopbackProvider,
                                                             gateway: tuple[str, Path]) -> None:
    url, _log = gateway
    citizen, clerk = provider.api_token("cong-dan-an"), provider.api_token("can-bo-lan")
    assert status(url, citizen) == 200
    assert status(url, citizen, "/v1/staff/status-counts") == 403  # a citizen's token is not a clerk's
    assert status(url, clerk, "/v1/staff/status-counts") == 200
    # Correctly signed, but "staff" is not the value this provider's configuration makes staff of.
    claiming = provider.sign(claims(provider, roles=["staff"]))
    assert (status(url, claiming), status(url, claiming, "/v1/staff/status-counts")) == (200, 403)


def test_every_bad_token_answers_401_and_is_logged_without_the_token(provider: LoopbackProvider,
                                                                    gateway: tuple[str, Path]) -> None:
    url, log_file = gateway
    assert status(url, provider.api_token("cong-dan-an")) == 200  # the keys are loaded: nothing below is new
    log_start = log_file.stat().st_size
    kid = provider.keys[0]["kid"]
    genuine = provider.sign(claims(provider))
    head, _body, signature = genuine.split(".")
    tampered_body = b64(json.dumps(claims(provider, roles=["can_bo"])).encode())
    stranger = new_signing_key()
    now = int(time.time())
    bad = {
        "expired": provider.sign(claims(provider, iat=now - 900, exp=now - 600)),
        "not yet valid": provider.sign(claims(provider, nbf=now + 600)),
        "wrong signature": provider.sign(claims(provider), key={**stranger, "kid": kid}),
        "alg none": unsigned({"alg": "none", "kid": kid}, claims(provider)),
        "HS256 signed with the RS public key": unsigned({"alg": "HS256", "kid": kid}, claims(provider),
                                                        public_pem(provider.keys[0])),
        "wrong issuer": provider.sign(claims(provider, iss="https://sso.gia-mao.example")),
        "wrong audience": provider.sign(claims(provider, aud="another-api")),
        "missing sub": provider.sign(claims(provider, sub=None)),
        "empty sub": provider.sign(claims(provider, sub="")),
        "tampered roles": f"{head}.{tampered_body}.{signature}",
        "a 100 KB token": provider.sign(claims(provider, padding="x" * 100_000)),
        "unknown kid": provider.sign(claims(provider), key={**stranger, "kid": "kid-never-published"}),
        "a kid that is not a string": unsigned({"alg": "RS256", "kid": ["a", "b"]}, claims(provider), b"x"),
        "garbage": "not-a-token",
    }
    answers = {case: status(url, token) for case, token in bad.items()}
    assert answers == dict.fromkeys(bad, 401)

    # A flood of tokens with forged kids: each 401, and the provider's keys fetched once at most for all.
    fetches = provider.jwks_fetches()
    forged = [provider.sign(claims(provider), key={**stranger, "kid": secrets.token_hex(8)}) for _ in range(100)]
    with ThreadPoolExecutor(8) as pool:
        flood = list(pool.map(lambda token: status(url, token), forged))
    assert flood == [401] * len(forged)
    assert provider.jwks_fetches() - fetches <= 1

    refusals = len(bad) + len(forged)

    def logged() -> str:
        return log_file.read_bytes()[log_start:].decode(errors="replace")

    eventually_sync(lambda: logged().count('"token_refused"') >= refusals, what="a log line per refused token")
    text = logged()
    for case, token in {**bad, **{f"forged {n}": token for n, token in enumerate(forged)}}.items():
        # The token, its signature or its claims part: none appears in the log.
        for part in [token, *[piece for piece in token.split(".") if len(piece) >= 16]]:
            assert part not in text, f"{case}: the token is in the log"


def test_the_provider_switches_keys_old_tokens_verify_until_they_expire(provider: LoopbackProvider) -> None:
    with gateway_trusting(provider, "embedded-provider-rotation") as (url, _log):
        before = provider.api_token("cong-dan-an")
        assert status(url, before) == 200
        old_key = provider.keys[0]
        provider.rotate()
        after = provider.api_token("cong-dan-an")
        assert jwt.get_unverified_header(after)["kid"] != old_key["kid"]
        assert status(url, after) == 200  # the new key: fetched at once for the kid not seen yet
        assert status(url, before) == 200  # the old key is still published: its tokens still verify
        now = int(time.time())
        expired_old = provider.sign(claims(provider, iat=now - 900, exp=now - 600), key=old_key)
        assert status(url, expired_old) == 401

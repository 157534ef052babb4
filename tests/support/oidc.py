"""A real OpenID provider on loopback for the tests: the certified `oidc-provider` for Node.js.

`tests/support/oidc_provider/` holds its small script and its npm lock; `make oidc-provider` (which
`make test` runs) installs it with `npm ci`. Where Node.js or the package is missing the tests skip loudly,
and fail under CI=true. The tests write the provider's signing keys themselves, so they can rotate them and
sign tokens of their own with the provider's very key (correctly signed, wrong in one claim).
"""

import base64
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support.processes import LOG_DIR, free_port, stop, wait_until_ready

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc_provider"
API_CLIENT: dict[str, Any] = {"client_id": "hoso-api-test", "client_secret": "api-test-secret-0123456789",
              "redirect_uris": ["http://127.0.0.1/api-test/callback"], "api": True}


def require_provider() -> str:
    """The `node` binary, with the provider's package installed; or a loud skip (a failure under CI=true)."""
    node = shutil.which("node")
    problem = None
    if node is None:
        problem = "Node.js is missing (the OpenID provider of the tests runs on it)"
    elif not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        problem = "the test OpenID provider is not installed: run `make oidc-provider` (npm ci)"
    if problem is None and node is not None:
        return node
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"OpenID provider tests cannot run: {problem}")
    warnings.warn(f"SKIPPING OpenID provider tests: {problem}", stacklevel=2)
    pytest.skip(f"SKIPPED, NOT RUN: {problem}")


def new_signing_key() -> dict[str, Any]:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk: dict[str, Any] = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private))
    jwk.pop("key_ops", None)  # PyJWT's ["sign"] would keep the provider from verifying its own ID tokens
    return {**jwk, "kid": secrets.token_hex(8), "alg": "RS256", "use": "sig"}


@dataclass
class LoopbackProvider:
    """The running provider: its issuer, its keys (the one signing now first), and a few test doors."""

    issuer: str
    keys_file: Path
    keys: list[dict[str, Any]] = field(default_factory=list)

    def rotate(self, *, keep_old: bool = True) -> None:
        """The provider switches to a new key; the old one stays published (for its tokens) unless told."""
        self.keys = [new_signing_key(), *(self.keys if keep_old else [])]
        self._write_keys()
        assert httpx.post(f"{self.issuer}/_test/keys").status_code == 204

    def sign(self, claims: dict[str, Any], *, key: dict[str, Any] | None = None, **header: Any) -> str:
        """A token signed with the provider's own key (the current one unless given)."""
        key = key or self.keys[0]
        private = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(key))
        assert isinstance(private, rsa.RSAPrivateKey)
        return jwt.encode(claims, private, algorithm="RS256", headers={"kid": key["kid"], **header})

    def jwks_fetches(self) -> int:
        return int(httpx.get(f"{self.issuer}/_test/jwks-fetches").json()["fetches"])

    def api_token(self, account: str) -> str:
        """An access token for the hoso API, got as a frontend gets one: the code flow, signed in as `account`."""
        with httpx.Client(base_url=self.issuer) as browser:
            code = sign_in_at_provider(browser, self.issuer, API_CLIENT, account, scope="openid api")
            answer = browser.post("/token", data={"grant_type": "authorization_code", "code": code[0],
                                                  "redirect_uri": API_CLIENT["redirect_uris"][0],
                                                  "code_verifier": code[1]},
                                  auth=(API_CLIENT["client_id"], API_CLIENT["client_secret"]))
            assert answer.status_code == 200, answer.text
            token: str = answer.json()["access_token"]
            return token

    def _write_keys(self) -> None:
        self.keys_file.write_text(json.dumps({"keys": self.keys}))


def sign_in_at_provider(browser: httpx.Client, issuer: str, client: dict[str, Any], account: str, *,
                        scope: str) -> tuple[str, str]:
    """Through the provider's login form as `account`: the authorization code and the PKCE verifier."""
    verifier = secrets.token_urlsafe(32)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    redirect_uri = client["redirect_uris"][0]
    answer = browser.get(f"{issuer}/auth", params={
        "client_id": client["client_id"], "response_type": "code", "redirect_uri": redirect_uri, "scope": scope,
        "state": "s", "nonce": "n", "code_challenge": challenge, "code_challenge_method": "S256"})
    back = log_in_at_provider(browser, answer, account, until=redirect_uri)
    return parse_qs(urlsplit(back).query)["code"][0], verifier


def log_in_at_provider(browser: httpx.Client, answer: httpx.Response, account: str, *, until: str) -> str:
    """From an answer of the provider's, through its login form as `account`, to the way back: its URL."""
    for _ in range(10):
        location = answer.headers.get("location")
        if location is None:  # the login form
            action = re.search(r'action="([^"]+)"', answer.text)
            assert action, answer.text
            answer = browser.post(urljoin(str(answer.url), action[1]),
                                  data={"prompt": "login", "login": account, "password": "x"})
            continue
        target = urljoin(str(answer.url), location)
        if target.startswith(until):
            return target
        answer = browser.get(target)
    raise AssertionError("the provider never sent the browser back")


@contextmanager
def oidc_provider(clients: list[dict[str, Any]], accounts: dict[str, dict[str, Any]], *,
                  token_seconds: int = 600, log_name: str = "oidc-provider") -> Iterator[LoopbackProvider]:
    """The provider as a process of its own on a free loopback port, stopped on exit."""
    node = require_provider()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="hoso-oidc-") as directory:
        provider = LoopbackProvider(f"http://127.0.0.1:{port}", Path(directory) / "keys.json", [new_signing_key()])
        provider._write_keys()
        env = {**os.environ, "PORT": str(port), "KEYS_FILE": str(provider.keys_file),
               "CLIENTS": json.dumps([*clients, API_CLIENT]), "ACCOUNTS": json.dumps(accounts),
               "TOKEN_SECONDS": str(token_seconds)}
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        with open(LOG_DIR / f"{log_name}.log", "ab") as log:
            process = subprocess.Popen([node, "provider.mjs"], cwd=PROVIDER_DIR, env=env, stdout=log,
                                       stderr=subprocess.STDOUT, start_new_session=True)
            try:
                wait_until_ready(f"{provider.issuer}/.well-known/openid-configuration", process)
                yield provider
            finally:
                stop(process)


def provider_setting(provider: LoopbackProvider, client: dict[str, Any], **entry: Any) -> dict[str, Any]:
    """The gateway's OIDC_PROVIDERS entry for `client` at `provider`."""
    return {"issuer": provider.issuer, "client_id": client["client_id"], "client_secret": client["client_secret"],
            "redirect_url": client["redirect_uris"][0], **entry}

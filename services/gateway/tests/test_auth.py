"""Token verification with the static key: issuer, audience, expiry, algorithms, subject and roles."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from services.gateway.adapters.tokens import InvalidToken, Principal, TokenVerifier, issue_dev_token
from services.gateway.schemas import DevTokenRequest
from services.gateway.settings import GatewaySettings

PRIVATE_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = PRIVATE_KEY.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
PRODUCTION = GatewaySettings(environment="production", jwt_key=PUBLIC_PEM, jwt_algorithms=["RS256"],
                             jwt_issuer="https://id.dichvucong.example.vn", jwt_audience="hoso")


def verify_token(token: str, settings: GatewaySettings) -> Principal:
    return TokenVerifier(settings, {}).verify_local(token)


def signed(**overrides: Any) -> str:
    claims = {"sub": "c-1", "name": "An", "email": "an@example.vn", "roles": ["citizen"],
              "iss": PRODUCTION.jwt_issuer, "aud": "hoso", "exp": datetime.now(UTC) + timedelta(minutes=5)}
    claims.update(overrides)
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, PRIVATE_KEY, algorithm="RS256")


def test_a_valid_token_gives_the_principal() -> None:
    principal = verify_token(signed(), PRODUCTION)
    assert (principal.id, principal.email, principal.has("citizen"), principal.has("staff")) == (
        "c-1", "an@example.vn", True, False)


@pytest.mark.parametrize("overrides", [
    {"iss": "https://evil.example"}, {"aud": "other"}, {"exp": datetime.now(UTC) - timedelta(minutes=1)},
    {"exp": None}, {"roles": ["admin"]}, {"sub": None}, {"sub": ""}, {"sub": "   "}, {"sub": 42},
    {"nbf": datetime.now(UTC) + timedelta(minutes=5)},
])
def test_tokens_that_break_a_rule_are_refused(overrides: dict[str, Any]) -> None:
    with pytest.raises(InvalidToken):
        verify_token(signed(**overrides), PRODUCTION)


def test_an_hmac_token_is_refused_where_only_rs256_is_allowed() -> None:
    claims = {"sub": "c-1", "roles": ["citizen"], "iss": PRODUCTION.jwt_issuer, "aud": "hoso",
              "exp": datetime.now(UTC) + timedelta(minutes=5)}
    forged = jwt.encode(claims, "an-hmac-secret-of-thirty-two-bytes!", algorithm="HS256")
    with pytest.raises(InvalidToken):
        verify_token(forged, PRODUCTION)


def test_production_refuses_dev_tokens_placeholder_keys_and_unsigned_tokens() -> None:
    with pytest.raises(ValueError):
        GatewaySettings(environment="production", dev_tokens=True, jwt_key=PUBLIC_PEM)
    with pytest.raises(ValueError):
        GatewaySettings(environment="production", jwt_key="changeme")
    with pytest.raises(ValueError):
        GatewaySettings(jwt_algorithms=["none"])


def test_production_needs_a_provider_or_a_key() -> None:
    with pytest.raises(ValueError, match="OIDC_PROVIDERS or JWT_KEY"):
        GatewaySettings(environment="production")
    provider = {"name": "vneid", "label": "Đăng nhập bằng VNeID", "issuer": "https://sso.example.vn",
                "client_id": "hoso", "client_secret": "a-real-secret-from-the-provider",
                "redirect_url": "https://dichvucong.example.vn/dang-nhap/vneid/xong"}
    assert GatewaySettings(environment="production", oidc_providers=[provider]).jwt_key is None
    with pytest.raises(ValueError, match="https"):
        GatewaySettings(environment="production", oidc_providers=[{**provider, "issuer": "http://sso.example.vn"}])
    with pytest.raises(ValueError, match="client_secret"):
        GatewaySettings(environment="production", oidc_providers=[{**provider, "client_secret": "changeme"}])


def test_the_development_key_kept_in_a_file_outlives_the_gateway(tmp_path: Path) -> None:
    key_file = tmp_path / "run" / "gateway-dev-jwt.key"
    first = GatewaySettings(dev_tokens=True, jwt_key_file=key_file)
    token, _ = issue_dev_token(DevTokenRequest(sub="s", name="N", email="n@example.vn", roles=["citizen"]), first)
    restarted = GatewaySettings(dev_tokens=True, jwt_key_file=key_file)
    assert verify_token(token, restarted).id == "s"
    assert key_file.stat().st_mode & 0o077 == 0  # the key is this user's alone


def test_dev_tokens_round_trip_with_a_per_process_secret() -> None:
    settings = GatewaySettings(dev_tokens=True)
    token, lifetime = issue_dev_token(DevTokenRequest(sub="s", name="N", email="n@example.vn",
                                                      roles=["staff"]), settings)
    assert lifetime > 0 and verify_token(token, settings).has("staff")
    with pytest.raises(InvalidToken):
        verify_token(token, GatewaySettings(dev_tokens=True))

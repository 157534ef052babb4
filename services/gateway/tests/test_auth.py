"""Token verification: issuer, audience, expiry, algorithms and roles are all checked."""

from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from services.gateway.adapters.tokens import InvalidToken, issue_dev_token, verify_token
from services.gateway.schemas import DevTokenRequest
from services.gateway.settings import GatewaySettings

PRIVATE_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = PRIVATE_KEY.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
PRODUCTION = GatewaySettings(environment="production", jwt_key=PUBLIC_PEM, jwt_algorithms=["RS256"],
                             jwt_issuer="https://id.dichvucong.example.vn", jwt_audience="hoso")


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
    {"exp": None}, {"roles": ["admin"]}, {"sub": None},
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


def test_dev_tokens_round_trip_with_a_per_process_secret() -> None:
    settings = GatewaySettings(dev_tokens=True)
    token, lifetime = issue_dev_token(DevTokenRequest(sub="s", name="N", email="n@example.vn",
                                                      roles=["staff"]), settings)
    assert lifetime > 0 and verify_token(token, settings).has("staff")
    with pytest.raises(InvalidToken):
        verify_token(token, GatewaySettings(dev_tokens=True))

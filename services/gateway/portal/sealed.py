"""Small values the portal hands the browser to keep but not to read: sealed (encrypted and authenticated).

What a sign-in in progress must remember (its state, nonce and PKCE verifier) and what a session needs from
its provider later (the refresh token, the ID token for signing out there) travel in HttpOnly cookies,
sealed with a key derived from `PORTAL_SECRET` for one purpose each, so a cookie of one kind never opens as
another. The portal itself stores nothing.
"""

import base64
import hashlib
import hmac
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken


def _fernet(secret: str, purpose: str) -> Fernet:
    key = hmac.new(secret.encode(), f"sealed:{purpose}".encode(), hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(value: dict[str, Any], secret: str, purpose: str) -> str:
    return _fernet(secret, purpose).encrypt(json.dumps(value, separators=(",", ":")).encode()).decode()


def unseal(sealed: str | None, secret: str, purpose: str, max_age_seconds: int) -> dict[str, Any] | None:
    """The sealed value, or None when it is missing, forged, of another purpose or older than allowed."""
    if not sealed:
        return None
    try:
        value = json.loads(_fernet(secret, purpose).decrypt(sealed.encode(), ttl=max_age_seconds))
    except (InvalidToken, ValueError):
        return None
    return value if isinstance(value, dict) else None

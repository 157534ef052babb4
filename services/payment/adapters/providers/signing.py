"""Signing the way VNPay documents it, which the sandbox provider follows too: the parameters sorted by
name, each `name=value` with both URL-encoded as a form would (`quote_plus`: a space is `+`), joined by
`&`; the HMAC of that text with the secret, in hexadecimal."""

import hmac
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote_plus

Digest = Callable[[], Any]  # hashlib.sha256, hashlib.sha512


def canonical_query(params: Mapping[str, str]) -> str:
    """The text that is signed, which is also the query string sent."""
    return "&".join(f"{quote_plus(name)}={quote_plus(value)}" for name, value in sorted(params.items()))


def sign(params: Mapping[str, str], secret: str, digest: Digest) -> str:
    return hmac.new(secret.encode(), canonical_query(params).encode(), digest).hexdigest()


def same_signature(expected: str, given: str) -> bool:
    """Compared in constant time, whatever case the hexadecimal came in."""
    return hmac.compare_digest(expected.lower().encode(), given.lower().encode("utf-8", "replace"))

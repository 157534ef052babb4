"""The tokens verified lately, remembered until they expire, so that a signed-in caller's next request is
not verified from scratch.

A citizen's browser sends the same token with every request; checking it (PyJWT reads the token four
times, each a pass over every character in Python, then the signature) was a large part of the gateway's
CPU per read. Only a token that verified is remembered, by its SHA-256 (never the token itself), with the
caller it names and the moment it stops verifying:

- the signature, the issuer, the audience and the subject depend on the token's bytes and on the
  gateway's settings alone, which do not change while it runs: the same bytes verify again;
- `nbf` and `iat` only say "not before": a token past them stays past them, unless the clock goes back,
  so a clock earlier than when the token was remembered forgets it;
- `exp` is checked as PyJWT checks it (refused once `int(exp)` is at least `LEEWAY` seconds past), so a
  remembered token is refused from the very moment the full check would refuse it;
- a provider's token is valid only while the provider still publishes its key: a remembered one is
  answered only if the provider's keys (`ProviderKeys`, asked as for any token) give the very key object it
  was verified with; keys fetched again are new objects, so the token is then verified in full once more.

Refusals are never remembered (a forged token costs the full check each time, as before), and at most
`max_entries` tokens are kept, the oldest forgotten first.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from services.gateway.adapters.jwks import ProviderKeys

if TYPE_CHECKING:
    from services.gateway.adapters.tokens import Principal

DEFAULT_MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class Remembered:
    principal: "Principal"  # frozen: shared by every request with the token
    valid_until: float  # epoch seconds: refused from then on
    verified_at: float
    # A provider's token: whose keys, which `kid` and which key verified it. None: a key of the gateway's own.
    provider_keys: ProviderKeys | None = None
    kid: str | None = None
    key: Any = None


class VerifiedTokens:
    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES, clock: Callable[[], float] = time.time) -> None:
        self._max_entries = max_entries
        self._clock = clock
        self._entries: dict[bytes, Remembered] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def recall(self, token: str) -> Remembered | None:
        """What the token was verified as, if it still verifies on time; None: check it in full."""
        digest = _digest(token)
        entry = self._entries.get(digest)
        if entry is None:
            return None
        now = self._clock()
        if not entry.verified_at <= now < entry.valid_until:
            del self._entries[digest]
            return None
        return entry

    def remember(self, token: str, principal: "Principal", claims: dict[str, Any], leeway: float, *,
                 provider_keys: ProviderKeys | None = None, kid: str | None = None, key: Any = None) -> None:
        """A token that has just verified, with the claims it verified with (`max_entries` 0: none kept)."""
        if self._max_entries <= 0:
            return
        try:
            valid_until = int(claims["exp"]) + leeway  # PyJWT's own reading of `exp`
        except (KeyError, TypeError, ValueError, OverflowError):
            return  # never happens for a token that verified; then nothing is remembered
        digest = _digest(token)
        self._entries.pop(digest, None)
        while len(self._entries) >= self._max_entries:
            del self._entries[next(iter(self._entries))]
        self._entries[digest] = Remembered(principal, valid_until, self._clock(), provider_keys, kid, key)


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()

"""The key a command is passed on to its owning service under: the caller's `Idempotency-Key`, scoped.

The idempotency middleware binds it while the command runs; every command call the gateway then makes to
a service carries it (shared/holder/command_keys.py says what the service does with it). It is a hash of
the caller, their key and the request's fingerprint: nobody else's, never the key in clear, and another
request under the same key is another command to the service.
"""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from shared.holder.command_keys import HEADER

_current: ContextVar[str | None] = ContextVar("command_key", default=None)
COMMAND_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def scoped_key(key_id: str, fingerprint: str) -> str:
    """`key_id`: the caller's key as the gateway stores it; `fingerprint`: what the request was."""
    return hashlib.sha256(f"{key_id}\n{fingerprint}".encode()).hexdigest()


@contextmanager
def passing_on(key: str) -> Iterator[None]:
    """While the command runs, its calls to the services carry `key`."""
    token = _current.set(key)
    try:
        yield
    finally:
        _current.reset(token)


def key_header(method: str) -> dict[str, str]:
    """The header a call carries: the command's key on a command (never on a question), else none."""
    key = _current.get()
    return {HEADER: key} if key is not None and method.upper() in COMMAND_METHODS else {}

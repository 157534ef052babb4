"""The correlation id: set when an HTTP request or a message arrives, carried by everything it causes."""

from contextvars import ContextVar
from uuid import uuid4

import structlog

_correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)

HEADER = "X-Correlation-ID"


def current_correlation_id() -> str | None:
    return _correlation_id.get()


def bind_correlation_id(value: str | None) -> str:
    """Adopt an incoming id (or start a new one) for this task and every log line it writes."""
    cid = value if value and len(value) <= 128 and value.isprintable() else str(uuid4())
    _correlation_id.set(cid)
    structlog.contextvars.bind_contextvars(correlation_id=cid)
    return cid

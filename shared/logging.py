"""structlog JSON logging with the correlation id on every line, and no personal data or tokens.

Call sites log identifiers and outcomes only; the redaction processor is the safety net for a key that
slips through (an applicant, an email, a token), replacing its value before anything is written.
"""

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

SENSITIVE_KEYS = frozenset({
    "applicant", "full_name", "name", "id_number", "phone", "phone_number", "owner_phone", "email", "owner_email",
    "recipient", "address",
    "token", "access_token", "authorization", "password", "secret", "form", "content",
})
REDACTED = "[redacted]"


def redact_personal_data(
    _logger: Any, _method: str, event: MutableMapping[str, Any],
) -> MutableMapping[str, Any]:
    for key in list(event):
        if key.lower() in SENSITIVE_KEYS:
            event[key] = REDACTED
    return event


def configure_logging(service: str, level: str = "INFO") -> None:
    """JSON lines on stderr, one per event, each carrying the service and the bound correlation id."""
    numeric = logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact_personal_data,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        # sys.stderr looked up per logger, not captured once: a replaced stream (tests, daemons) is honoured.
        logger_factory=lambda *_args: structlog.PrintLogger(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
    structlog.contextvars.bind_contextvars(service=service)
    # Libraries log through the standard library; keep them quiet and never let them echo request lines.
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(name)s %(levelname)s %(message)s")
    logging.getLogger("uvicorn.access").disabled = True


def get_logger(name: str) -> Any:
    return structlog.get_logger(name)

"""Schemathesis' hook for tests/e2e/test_api_conformance.py: a valid Idempotency-Key is made unique per request.

The generator draws the same few keys ("0", "00"…) for different requests, which the API rightly refuses
(409 `idempotency_key_reused`): a client uses a fresh key per command. Keys that break the schema are left
as drawn, so that their refusal is still checked; what a repeated key does is tests/e2e/test_idempotent_commands.py's.
"""

import re
from typing import Any
from uuid import uuid4

import schemathesis

VALID_KEY = re.compile(r"[!-~]{1,200}")


@schemathesis.hook
def before_call(_context: Any, case: Any, _kwargs: dict[str, Any]) -> None:
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and VALID_KEY.fullmatch(key):
        case.headers["Idempotency-Key"] = f"{key}-{uuid4().hex}"

"""The one-time key of each form the portal draws, so that a form sent twice is one command.

A double click, or the browser sending a form again (back, reload, "resubmit?"), posts the same form twice;
each page draws every form with a fresh key (a hidden field), and every API command the portal makes while
answering that post carries a key derived from it as its `Idempotency-Key`. So the second post of the same
form is answered the first outcome by the API, and applies nothing (one draft, one submit).
"""

import hashlib
import re
import secrets
from typing import Any

FIELD = "form_key"
_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_form_key() -> str:
    """A key for one form, drawn with the page (templates call it once per form)."""
    return secrets.token_urlsafe(18)


def posted_form_key(form: Any) -> str | None:
    """The key the form was drawn with; None for a form without one (or anything not shaped like it)."""
    sent = form.get(FIELD)
    return sent if isinstance(sent, str) and _SHAPE.match(sent) else None


def command_key(form_key: str, method: str, path: str, occurrence: int = 0) -> str:
    """The `Idempotency-Key` of one command sent for the form: one form may send several (save, then send; a
    file each to the same address, told apart by `occurrence`, their order in the answering of the post)."""
    return hashlib.sha256(f"{form_key}\n{method.upper()} {path}\n{occurrence}".encode()).hexdigest()

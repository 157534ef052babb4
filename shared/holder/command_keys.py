"""A citizen's or officer's command sent again under the same key answers its first outcome, applying nothing.

The gateway takes the caller's `Idempotency-Key` and passes it on to the service that applies the command,
scoped (a hash of the caller, the key and the request, so that it is nobody else's and names this one
command). The holder stores the key with the command's answer in the record it changes, in the same
single-document write as the change and its events (the way a staff command's envelope id rides along in
`applied_commands`). So a command that was applied while its answer was lost on the way back (the gateway
timed out: 503) is not applied again when the caller retries: the key is found on the record and its
answer is given. A refusal changes nothing and stores nothing: the repeat is decided afresh.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# The header the gateway passes the scoped key in; the owners' internal routes read it.
HEADER = "Idempotency-Key"
# The gateway's scoped key is a SHA-256 in hex; a little room for other callers of the internal API.
MAX_KEY_LENGTH = 128
# Where a record keeps them: the most recent answers only, like `applied_commands`.
FIELD = "command_answers"
ANSWERS_KEPT = 50


@dataclass(frozen=True)
class KeptAnswer:
    """A command's key and what it answered (the JSON of its result) when it was applied."""

    key: str
    answer: Mapping[str, Any]


def answer_to(answers: Iterable[KeptAnswer], key: str | None) -> Mapping[str, Any] | None:
    """The first outcome of the command sent under `key`, if it was applied to this record."""
    if key is None:
        return None
    return next((kept.answer for kept in answers if kept.key == key), None)


def kept_answers(document: Mapping[str, Any]) -> tuple[KeptAnswer, ...]:
    """The answers a stored document keeps (none on a document stored before keys were passed on)."""
    return tuple(KeptAnswer(kept["key"], kept["answer"]) for kept in document.get(FIELD, ()))


def kept_answer_document(kept: KeptAnswer) -> dict[str, Any]:
    return {"key": kept.key, "answer": dict(kept.answer)}


def push_answer(kept: KeptAnswer) -> dict[str, Any]:
    """The `$push` entry that keeps `kept` with the change, the oldest answers falling off."""
    return {FIELD: {"$each": [kept_answer_document(kept)], "$slice": -ANSWERS_KEPT}}

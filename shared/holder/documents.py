"""How a holder's repository stores one record per dossier in a document that carries its outbox: written
once for every MongoDB repository of the holders (each keeps its own mapping of fields).

A change is one conditional update: its fields, its events onto the outbox, the staff command's id onto
`applied_commands` and the answer of a command sent under a key onto `command_answers`, only if the
document is still at the revision the decision was made on.
"""

from collections.abc import Sequence
from typing import Any

from pymongo.errors import DuplicateKeyError

from shared.holder.command_keys import KeptAnswer, push_answer
from shared.holder.errors import VersionConflict
from shared.messages import Envelope
from shared.outbox import outbox_fields, with_outbox
from shared.store.port import Collection

# Enough to cover any redelivery window of a dossier's commands, small enough to keep documents small.
APPLIED_COMMANDS_KEPT = 50


async def insert_held(collection: Collection, record_id: str, fields: dict[str, Any],
                      events: Sequence[Envelope]) -> None:
    """Store a record seen for the first time; VersionConflict if another delivery stored it first."""
    try:
        await collection.insert_one({"_id": record_id, **fields, **outbox_fields(events)})
    except DuplicateKeyError:
        raise VersionConflict(record_id) from None


async def update_held(collection: Collection, record_id: str, condition: dict[str, int], fields: dict[str, Any],
                      events: Sequence[Envelope], command_id: str | None,
                      answered: KeptAnswer | None = None) -> None:
    """Store the change, its events and its command in one write where the document still matches `condition`
    (its revision); VersionConflict otherwise. A unique index refusing `fields` raises DuplicateKeyError."""
    update: dict[str, Any] = {"$set": fields}
    if command_id is not None:
        update["$push"] = {"applied_commands": {"$each": [command_id], "$slice": -APPLIED_COMMANDS_KEPT}}
    if answered is not None:
        update["$push"] = {**update.get("$push", {}), **push_answer(answered)}
    result = await collection.update_one({"_id": record_id, **condition}, with_outbox(update, events))
    if result.matched_count == 0:
        raise VersionConflict(record_id)

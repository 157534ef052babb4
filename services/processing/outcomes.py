"""Refused staff commands (command.rejected), one document per command id, each with its own outbox.

A completed command's outcome is stored in the changed dossier's outbox instead, in the same write as
the change. A refusal changes no dossier, so it gets a document of its own, keyed by the command id:
storing the same refusal twice is a no-op, and a redelivered command that was refused stays refused.
"""

from datetime import datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from shared.messages import Envelope, utc_now
from shared.outbox import OUTBOX, new_document_outbox

COLLECTION = "command_outcomes"
# Long past any redelivery of the command; the broker gives up on a message within minutes.
KEEP_SECONDS = 30 * 24 * 3600


class CommandOutcomes:
    def __init__(self, db: Any) -> None:
        self.collection = db[COLLECTION]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("updated_at", 1)])  # the outbox relay's order
        await self.collection.create_index([("stored_at", 1)], expireAfterSeconds=KEEP_SECONDS)

    async def was_refused(self, command_id: str) -> bool:
        return await self.collection.find_one({"_id": command_id}, {"_id": 1}) is not None

    async def refuse(self, command_id: str, outcome: Envelope, now: datetime) -> bool:
        """Store the refusal for publishing; False when this command was refused already."""
        try:
            await self.collection.insert_one({
                "_id": command_id, "dossier_id": outcome.dossier_id, "code": outcome.data.get("code"),
                # Retention counts in wall-clock time, whatever clock the service's decisions use.
                "stored_at": utc_now(), "updated_at": now, OUTBOX: new_document_outbox([outcome])})
        except DuplicateKeyError:
            return False
        return True

"""The notifications sent about each dossier (its own `notifications` collection), from notify's reports.

One document per notification, never overwritten when already sent by an older failure.
"""

import contextlib
from typing import Any

from pymongo.errors import DuplicateKeyError

from services.query.domain.notifications import notification_entry, notification_view
from shared.messages import Envelope
from shared.store.port import Collection, Database

NOTIFICATIONS = "notifications"


class NotificationLog:
    def __init__(self, db: Database) -> None:
        self._collection: Collection = db[NOTIFICATIONS]

    async def ensure_indexes(self) -> None:
        await self._collection.create_index([("dossier_id", 1), ("at", 1)])

    async def record(self, event: Envelope) -> None:
        """Keep the latest word on a notification, but a success is final: a late failure cannot undo it."""
        entry = notification_entry(event)
        with contextlib.suppress(DuplicateKeyError):  # already recorded as sent
            await self._collection.update_one({"_id": entry["_id"], "state": {"$ne": "sent"}},
                                              {"$set": entry}, upsert=True)

    async def of_dossier(self, dossier_id: str) -> list[dict[str, Any]]:
        entries = await self._collection.find({"dossier_id": dossier_id}).sort("at", 1).to_list(None)
        return [notification_view(entry) for entry in entries]

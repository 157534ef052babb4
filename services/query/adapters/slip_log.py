"""The slips issued for each dossier (its own `slips` collection), from the slips service's announcements."""

import contextlib
from typing import Any

from pymongo.errors import DuplicateKeyError

from services.query.domain.slips import slip_entry, slip_views
from shared.messages import Envelope
from shared.store.port import Collection, Database

SLIPS = "slips"


class SlipLog:
    def __init__(self, db: Database) -> None:
        self._collection: Collection = db[SLIPS]

    async def ensure_indexes(self) -> None:
        await self._collection.create_index([("dossier_id", 1), ("issued_at", 1)])

    async def record(self, event: Envelope) -> None:
        """Keep one entry per slip: an announcement delivered twice changes nothing."""
        entry = slip_entry(event)
        with contextlib.suppress(DuplicateKeyError):  # two replicas recording the same slip at once
            await self._collection.update_one({"_id": entry["_id"]}, {"$setOnInsert": entry}, upsert=True)

    async def of_dossier(self, dossier_id: str) -> list[dict[str, Any]]:
        return slip_views(dossier_id, await self._collection.find({"dossier_id": dossier_id}).to_list(None))

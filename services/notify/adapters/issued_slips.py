"""The slips notify has heard were issued (its own `slips` collection), by the event of their step: for a
delivery recorded after its slip's announcement, which then need not wait."""

import contextlib
from typing import Any

from pymongo.errors import DuplicateKeyError

from shared.store.port import Collection, Database

COLLECTION = "slips"


class IssuedSlips:
    def __init__(self, db: Database) -> None:
        self.collection: Collection = db[COLLECTION]

    async def record(self, for_event_id: str, slip: dict[str, Any]) -> None:
        with contextlib.suppress(DuplicateKeyError):  # announced twice: the first is kept
            await self.collection.insert_one({"_id": for_event_id, "slip": slip})

    async def for_event(self, for_event_id: str) -> dict[str, Any] | None:
        found = await self.collection.find_one({"_id": for_event_id})
        return dict(found["slip"]) if found else None

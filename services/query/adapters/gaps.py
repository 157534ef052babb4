"""The gaps in dossiers' histories (khoảng trống phiên bản): events that arrived before a predecessor.

An early event is kept with the others (the read model's `events`), and its dossier noted here: since when it
waits and the highest version kept for it. Applying the predecessor applies the kept ones after it; a note
whose versions are all applied is removed. Notes only report: nothing is applied from them, so a note left
behind by a race is found stale and removed when the gaps are next listed.
"""

from dataclasses import dataclass
from datetime import datetime

from services.query.domain.dates import as_utc, stored_time
from shared.store.port import Collection, Database

GAPS = "gaps"


@dataclass(frozen=True)
class Gap:
    """A dossier whose read model waits for a missing version, with events after it kept."""

    dossier_id: str
    waiting_since: datetime
    highest_kept: int


class GapNotes:
    def __init__(self, db: Database) -> None:
        self._gaps: Collection = db[GAPS]

    async def ensure_indexes(self) -> None:
        await self._gaps.create_index([("since", 1)])

    async def note(self, dossier_id: str, version: int, now: datetime) -> None:
        """`version` of the dossier is kept, waiting for the versions before it."""
        await self._gaps.update_one({"_id": dossier_id},
                                    {"$setOnInsert": {"since": stored_time(now)}, "$max": {"highest_kept": version}},
                                    upsert=True)

    async def closed_up_to(self, dossier_id: str, version: int) -> None:
        """The read model holds the dossier at `version`: a gap whose kept events are all applied is closed."""
        await self._gaps.delete_one({"_id": dossier_id, "highest_kept": {"$lte": version}})

    async def waiting_since_before(self, moment: datetime) -> list[Gap]:
        """The gaps noted before `moment`, oldest first."""
        cursor = self._gaps.find({"since": {"$lt": stored_time(moment)}}).sort([("since", 1)])
        return [Gap(found["_id"], _utc(found["since"]), found["highest_kept"])
                for found in await cursor.to_list(None)]


def _utc(moment: datetime) -> datetime:
    return as_utc(moment) or moment

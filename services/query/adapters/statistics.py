"""The dossiers received (hồ sơ đã tiếp nhận), read off the read model's dossiers for the deadline statistics.

A dossier's reception time, due date, reschedule and history are fields of its document already, so the
statistics need no collection of their own: a partial index on the reception time holds only the dossiers
received (a draft, or one refused before reception, has none).
"""

from datetime import datetime
from typing import Any

from services.query.adapters.read_model import DOSSIERS
from shared.store.port import Collection, Database

RECEIVED = {"$type": "date"}
# What the counting needs: the history's statuses and times, never its reasons, actors or anyone's content.
FIELDS = {"procedure_code": 1, "procedure_name": 1, "received_at": 1, "status": 1, "due_date": 1,
          "clock_paused": 1, "rescheduled_late": 1, "history.to": 1, "history.at": 1}


class DossiersReceived:
    def __init__(self, db: Database) -> None:
        self._dossiers: Collection = db[DOSSIERS]

    async def ensure_indexes(self) -> None:
        await self._dossiers.create_index([("received_at", 1), ("procedure_code", 1)],
                                          partialFilterExpression={"received_at": RECEIVED})

    async def between(self, start: datetime | None, end: datetime | None,
                      procedure_code: str | None = None) -> list[dict[str, Any]]:
        """The dossiers received from `start` and before `end` (either open), with what the counting needs."""
        received_at: dict[str, Any] = dict(RECEIVED)
        if start is not None:
            received_at["$gte"] = start
        if end is not None:
            received_at["$lt"] = end
        query: dict[str, Any] = {"received_at": received_at, "deleted": False}
        if procedure_code:
            query["procedure_code"] = procedure_code
        found: list[dict[str, Any]] = await self._dossiers.find(query, FIELDS).to_list(None)
        return found

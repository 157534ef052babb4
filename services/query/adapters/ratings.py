"""The ratings given (đánh giá mức độ hài lòng), read off the read model's dossiers for the staff summary.

A rating is a field of its dossier's document (the projection folds `dossier.rated` into it), so the
summary needs no collection of its own: a partial index on the rating time holds only the dossiers rated.
"""

from datetime import datetime
from typing import Any

from services.query.adapters.read_model import DOSSIERS
from shared.store.port import Collection, Database

RATED = {"$type": "date"}
# What the counting needs: never the comments, which may be long and are nobody's business in a count.
FIELDS = {"procedure_code": 1, "procedure_name": 1, "rating.level": 1, "rating.rated_at": 1}


class RatingsGiven:
    def __init__(self, db: Database) -> None:
        self._dossiers: Collection = db[DOSSIERS]

    async def ensure_indexes(self) -> None:
        await self._dossiers.create_index([("rating.rated_at", 1), ("procedure_code", 1)],
                                          partialFilterExpression={"rating.rated_at": RATED})

    async def between(self, start: datetime | None, end: datetime | None,
                      procedure_code: str | None = None) -> list[dict[str, Any]]:
        """The rated dossiers' procedure and rating, rated from `start` and before `end` (either open)."""
        rated_at: dict[str, Any] = dict(RATED)
        if start is not None:
            rated_at["$gte"] = start
        if end is not None:
            rated_at["$lt"] = end
        query: dict[str, Any] = {"rating.rated_at": rated_at, "deleted": False}
        if procedure_code:
            query["procedure_code"] = procedure_code
        found: list[dict[str, Any]] = await self._dossiers.find(query, FIELDS).to_list(None)
        return found

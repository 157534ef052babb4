"""Lookup codes (mã hồ sơ / mã tra cứu): their format, and their allocation from a counter in the store.

A code is `{agency_code}-{yymmdd}-{seq:04d}`: the agency's code in the national catalog, the day of
receipt in Vietnam, and that agency's running number for the day. The number comes from one counter
document per agency and day, incremented atomically by the store, so that several processing replicas
sharing one database never hand out the same code; the unique index on `dossiers.lookup_code` is the
safety net behind it.
"""

import contextlib
from datetime import date

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from shared.store.port import Collection, Database

COLLECTION = "counters"
# Two replicas creating the same day's counter at once: one insert loses and simply tries again.
UPSERT_ATTEMPTS = 3


def format_lookup_code(agency_code: str, day: date, seq: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{seq:04d}"


class LookupCodeCounter:
    """Hands out the next lookup code of a day, unique across every replica sharing the store."""

    def __init__(self, db: Database, agency_code: str) -> None:
        self.collection: Collection = db[COLLECTION]
        self.agency_code = agency_code

    async def next_code(self, day: date) -> str:
        for _ in range(UPSERT_ATTEMPTS - 1):
            with contextlib.suppress(DuplicateKeyError):
                return await self._take_number(day)
        return await self._take_number(day)

    async def _take_number(self, day: date) -> str:
        counter = await self.collection.find_one_and_update(
            {"_id": f"lookup:{self.agency_code}:{day.isoformat()}"}, {"$inc": {"seq": 1}},
            upsert=True, return_document=ReturnDocument.AFTER)
        assert counter is not None  # upserted, and answered as it is after the increment
        return format_lookup_code(self.agency_code, day, int(counter["seq"]))

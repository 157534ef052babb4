"""Where the gateway keeps the first answer to each command sent with an `Idempotency-Key`.

One record per caller and key (their hash: neither is stored in clear). A request claims its record by
inserting it, which only one of two racing requests can do; it is `pending` while the command runs and
`done` once its answer is kept. Records expire (a MongoDB TTL index, and every read checks the time, as
the in-memory engine keeps no TTL); a pending record whose request died is taken over once its lease ends.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from shared.store.port import Collection, Database

RECORDS = "idempotency_keys"
PENDING, DONE = "pending", "done"


@dataclass(frozen=True)
class KeptAnswer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass(frozen=True)
class Record:
    """A claim found: whose request it was (`fingerprint`), and its answer once there is one."""

    fingerprint: str
    answer: KeptAnswer | None  # None while pending


class IdempotencyRecords:
    def __init__(self, db: Database) -> None:
        self._records: Collection = db[RECORDS]

    async def ensure_indexes(self) -> None:
        # MongoDB removes a record once its `expire_at` has passed; the reads below never rely on it.
        await self._records.create_index([("expire_at", 1)], expireAfterSeconds=0)

    async def claim(self, key_id: str, fingerprint: str, now: float, lease_seconds: float,
                    keep_seconds: float) -> Record | None:
        """None when this request now holds the key; else the record of the request that does or did."""
        claim = {"state": PENDING, "fingerprint": fingerprint, "lease_until": now + lease_seconds,
                 "expires": now + keep_seconds, "expire_at": datetime.fromtimestamp(now + keep_seconds, UTC)}
        while True:
            try:
                await self._records.insert_one({"_id": key_id, **claim})
                return None
            except DuplicateKeyError:
                pass
            found = await self._records.find_one({"_id": key_id})
            if found is None:
                continue  # released meanwhile: try again
            stale = found["expires"] <= now or (found["state"] == PENDING and found["lease_until"] <= now)
            if not stale:
                return _record(found)
            # Expired, or its request died: taken over, by one request only (the write is conditional).
            taken = await self._records.update_one(
                {"_id": key_id, "state": found["state"], "lease_until": found["lease_until"]},
                {"$set": claim, "$unset": {"answer": ""}})
            if taken.matched_count:
                return None

    async def find(self, key_id: str, now: float) -> Record | None:
        found = await self._records.find_one({"_id": key_id})
        if found is None or found["expires"] <= now:
            return None
        return _record(found)

    async def keep(self, key_id: str, answer: KeptAnswer) -> None:
        await self._records.update_one({"_id": key_id, "state": PENDING}, {"$set": {
            "state": DONE, "answer": {"status": answer.status, "headers": [list(pair) for pair in answer.headers],
                                      "body": answer.body}}})

    async def release(self, key_id: str) -> None:
        """Give the key up (the command changed nothing): the next request with it runs afresh."""
        await self._records.delete_one({"_id": key_id, "state": PENDING})


def _record(found: dict[str, Any]) -> Record:
    kept = found.get("answer") if found["state"] == DONE else None
    answer = None if kept is None else KeptAnswer(
        status=kept["status"], headers=[(name, value) for name, value in kept["headers"]], body=bytes(kept["body"]))
    return Record(fingerprint=found["fingerprint"], answer=answer)

"""The development SMS sink: the SMS provider of a run without one. Messages are kept in notify's own
store (`sms_sink`) and listed by `GET /sms`, newest first; nothing leaves the machine.

Keyed by the request id, as a provider that deduplicates would be: an attempt again is kept once."""

import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from services.notify.domain.sms import OutgoingSms
from shared.messages import utc_now
from shared.store.port import Collection, Database

COLLECTION = "sms_sink"


class DevSmsSink:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self.collection: Collection = db[COLLECTION]
        self._clock = clock

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("received_at", -1)])

    async def send(self, sms: OutgoingSms) -> None:
        with contextlib.suppress(DuplicateKeyError):
            await self.collection.insert_one({"_id": sms.request_id, "delivery_id": sms.delivery_id,
                                              "to": sms.phone, "text": sms.text, "received_at": self._clock()})

    async def newest(self, limit: int, recipient: str | None = None) -> list[dict[str, Any]]:
        """The newest messages, to `recipient` only when given."""
        query = {} if recipient is None else {"to": recipient}
        cursor = self.collection.find(query).sort([("received_at", -1), ("_id", -1)]).limit(limit)
        return list(await cursor.to_list(None))

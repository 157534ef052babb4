"""Refused provider reports (payment.callback_refused), one document each, with its own outbox.

A refused report changes no payment request, so its event cannot ride in one: it gets a document of its
own, relayed like any outbox, and kept a while for operators looking into forged or replayed reports.
"""

from datetime import datetime
from uuid import uuid4

from shared.messages import Envelope, utc_now
from shared.outbox import ensure_outbox_index, outbox_fields
from shared.store.port import Collection, Database

COLLECTION = "callback_refusals"
KEEP_SECONDS = 90 * 24 * 3600


class CallbackRefusals:
    """The refused reports, each stored with the `payment.callback_refused` it publishes."""

    def __init__(self, db: Database) -> None:
        self.collection: Collection = db[COLLECTION]

    async def ensure_indexes(self) -> None:
        await ensure_outbox_index(self.collection)  # what the outbox relay reads, oldest change first
        await self.collection.create_index([("stored_at", 1)], expireAfterSeconds=KEEP_SECONDS)

    async def store(self, refused: Envelope, now: datetime) -> None:
        await self.collection.insert_one({
            "_id": uuid4().hex, "provider": refused.data.get("provider"), "reason": refused.data.get("reason"),
            "reference": refused.data.get("reference"), "stored_at": utc_now(), "updated_at": now,
            **outbox_fields([refused])})

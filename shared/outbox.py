"""The transactional outbox: a state change and the events it causes are written in one document update.

A service stores the events to publish inside the document it changes (its `outbox` array), in the
same single-document write as the change itself, so a crash can delay an event but never lose it.
`OutboxRelay` publishes them in order, waits for the broker's confirms, and only then removes them;
a crash between confirm and removal publishes them again, which consumers drop as duplicates. On a
graceful shutdown the relay is asked to `stop`: it publishes what is stored, then returns, so nothing
waits for a restart and no pass is cut between a publish and its removal.

Finding the documents with events waiting must not cost a pass over the collection (on MongoDB as in
memory: `outbox.0` exists matches on no index). So the write that stores events also sets
`outbox_pending`, which a partial index holds for those documents only (`ensure_outbox_index`, declared by
every repository with an outbox), and the relay takes it off once the outbox is empty: with the same
write's condition, so that events stored meanwhile keep it. Documents stored before the field existed are
marked by each relay's first pass, the only one that looks at every document.
"""

import asyncio
import contextlib
from collections.abc import Sequence
from typing import Any

from shared.logging import get_logger
from shared.messages import Envelope, utc_now
from shared.messaging.port import Bus
from shared.metrics import OUTBOX_BACKLOG

log = get_logger(__name__)

OUTBOX = "outbox"
OUTBOX_PENDING = "outbox_pending"  # True while events wait in the outbox; absent (never False) otherwise
TOMBSTONE = "deleted"
# A tombstone may be asked to stay past its last event, until then (a deletion's answer it keeps, say).
TOMBSTONE_KEPT_UNTIL = "kept_until"
# Set by the relay once such a tombstone's events have all left: the TTL index removes it at that time. A
# field of its own, so that no tombstone goes while an event of its waits, however long the broker is away.
TOMBSTONE_EXPIRES_AT = "expires_at"


def outbox_fields(events: Sequence[Envelope]) -> dict[str, Any]:
    """The fields a new document stores `events` in for publishing."""
    return {OUTBOX: [event.model_dump(mode="json") for event in events], **({OUTBOX_PENDING: True} if events else {})}


def with_outbox(update: dict[str, Any], events: Sequence[Envelope]) -> dict[str, Any]:
    """`update` (an update document: `$set`, `$push`, …) that also stores `events` for publishing, in the
    same write."""
    if not events:
        return update
    pushed = {OUTBOX: {"$each": [event.model_dump(mode="json") for event in events]}}
    return {**update, "$set": {**update.get("$set", {}), OUTBOX_PENDING: True},
            "$push": {**update.get("$push", {}), **pushed}}


async def ensure_outbox_index(collection: Any) -> None:
    """The index the relay finds waiting events by, oldest change first: only the documents marked."""
    await collection.create_index([(OUTBOX_PENDING, 1), ("updated_at", 1)],
                                  partialFilterExpression={OUTBOX_PENDING: True})
    await collection.create_index([(TOMBSTONE_EXPIRES_AT, 1)], expireAfterSeconds=0)


class OutboxRelay:
    """Moves events from one collection's outboxes to the bus, oldest document first.

    `service` names the owner in the `hoso_outbox_backlog` metric: the events this relay saw waiting on its
    last pass (at most `batch` documents' worth), counted down as they are published.
    """

    def __init__(
        self, collection: Any, bus: Bus, *, service: str, poll_seconds: float = 1.0, batch: int = 100,
    ) -> None:
        self._collection = collection
        self._bus = bus
        self._poll_seconds = poll_seconds
        self._batch = batch
        self._wake = asyncio.Event()
        self._stopping = False
        self._adopted = False  # whether this relay has marked what older builds stored unmarked
        self._backlog = OUTBOX_BACKLOG.labels(service, collection.name)

    def notify(self) -> None:
        """Something was just stored: relay now instead of at the next poll."""
        self._wake.set()

    async def relay_pending(self) -> int:
        """Publish every stored event once (in each document's order); answer how many it published."""
        if not self._adopted:
            await self._mark_unmarked()
            self._adopted = True
        cursor = self._collection.find({OUTBOX_PENDING: True}, {OUTBOX: 1, TOMBSTONE: 1, TOMBSTONE_KEPT_UNTIL: 1})
        documents = await cursor.sort("updated_at", 1).limit(self._batch).to_list(None)
        self._backlog.set(sum(len(document.get(OUTBOX) or ()) for document in documents))
        events = [[Envelope.model_validate(raw) for raw in document.get(OUTBOX) or ()] for document in documents]
        # Published all at once, in each document's order: the confirms are awaited together, so a pass costs
        # one round trip to the broker, not one per event. If any fails, none is removed: the pass is
        # published again, and consumers drop what they already had.
        await self._bus.publish_many([event for document_events in events for event in document_events])
        for document, document_events in zip(documents, events, strict=True):
            if document_events:
                published = [event.id for event in document_events]
                removed = {"$pull": {OUTBOX: {"id": {"$in": published}}}}
                await self._collection.update_one({"_id": document["_id"]}, removed)
                self._backlog.dec(len(published))
            await self._emptied(document)
        return sum(len(document_events) for document_events in events)

    async def _emptied(self, document: dict[str, Any]) -> None:
        """After its events left: a deleted document's tombstone goes; any other loses its mark, unless events
        were stored meanwhile (the conditions are checked in the same write)."""
        empty = {"_id": document["_id"], OUTBOX: {"$size": 0}}
        unmarked: dict[str, Any] = {"$unset": {OUTBOX_PENDING: ""}}
        if document.get(TOMBSTONE) is True:
            due = {**empty, TOMBSTONE: True, TOMBSTONE_KEPT_UNTIL: {"$not": {"$gt": utc_now()}}}
            if (await self._collection.delete_one(due)).deleted_count:
                return
            if TOMBSTONE_KEPT_UNTIL in document:
                # Asked to stay longer (a deletion's answer kept for its key): it loses its mark, and the TTL
                # index removes it when that time comes.
                unmarked["$set"] = {TOMBSTONE_EXPIRES_AT: document[TOMBSTONE_KEPT_UNTIL]}
        await self._collection.update_one(empty, unmarked)

    async def _mark_unmarked(self) -> None:
        """Mark what was stored before `outbox_pending` existed: events waiting, and tombstones left (once)."""
        await self._collection.update_many(
            {"$or": [{f"{OUTBOX}.0": {"$exists": True}}, {TOMBSTONE: True}], OUTBOX_PENDING: {"$exists": False}},
            {"$set": {OUTBOX_PENDING: True}})

    def stop(self) -> None:
        """Ask `run` to publish what is stored now and then return (the caller bounds how long it waits).

        For good: the service is going away, and a later `run` makes one last pass only.
        """
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        """Relay until stopped or cancelled: on every notification, and on a poll for what a crash left."""
        while True:
            self._wake.clear()
            try:
                published = await self.relay_pending()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the broker or store is away: keep the events, try again later
                log.warning("outbox_relay_failed", error_type=type(error).__name__)
                if self._stopping:
                    return  # stored, so published after the next start
                published = 0
                await asyncio.sleep(self._poll_seconds)
            if published == 0:
                if self._stopping:
                    return
                # Not asyncio.wait_for: on 3.11 it can swallow a cancellation racing the wake-up, and the
                # relay would never stop.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self._poll_seconds):
                        await self._wake.wait()

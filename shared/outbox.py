"""The transactional outbox: a state change and the events it causes are written in one document update.

A service stores the events to publish inside the document it changes (its `outbox` array), in the
same single-document write as the change itself, so a crash can delay an event but never lose it.
`OutboxRelay` publishes them in order, waits for the broker's confirm, and only then removes each one;
a crash between confirm and removal publishes it again, which consumers drop as a duplicate. On a
graceful shutdown the relay is asked to `stop`: it publishes what is stored, then returns, so nothing
waits for a restart and no pass is cut between a publish and its removal.
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
TOMBSTONE = "deleted"
# A tombstone may be asked to stay past its last event, until then (a deletion's answer it keeps, say).
TOMBSTONE_KEPT_UNTIL = "kept_until"


def push_to_outbox(events: Sequence[Envelope]) -> dict[str, Any]:
    """The `$push` part of an update that stores `events` for publishing along with the change."""
    return {"$push": {OUTBOX: {"$each": [event.model_dump(mode="json") for event in events]}}}


def new_document_outbox(events: Sequence[Envelope]) -> list[dict[str, Any]]:
    return [event.model_dump(mode="json") for event in events]


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
        self._backlog = OUTBOX_BACKLOG.labels(service, collection.name)

    def notify(self) -> None:
        """Something was just stored: relay now instead of at the next poll."""
        self._wake.set()

    async def relay_pending(self) -> int:
        """Publish every stored event once (in each document's order); answer how many it published."""
        cursor = self._collection.find({f"{OUTBOX}.0": {"$exists": True}}, {OUTBOX: 1})
        documents = await cursor.sort("updated_at", 1).limit(self._batch).to_list(None)
        self._backlog.set(sum(len(document[OUTBOX]) for document in documents))
        published = 0
        for document in documents:
            for raw in document[OUTBOX]:
                event = Envelope.model_validate(raw)
                await self._bus.publish(event)
                await self._collection.update_one(
                    {"_id": document["_id"]}, {"$pull": {OUTBOX: {"id": event.id}}})
                self._backlog.dec()
                published += 1
        # A deleted document stays as a tombstone until its last event has left (and any time it asked for).
        await self._collection.delete_many({TOMBSTONE: True, OUTBOX: {"$size": 0},
                                            TOMBSTONE_KEPT_UNTIL: {"$not": {"$gt": utc_now()}}})
        return published

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

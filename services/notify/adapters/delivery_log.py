"""The delivery log (its own `deliveries` collection): every message notify owes, is sending, sent or gave
up on, with the events that report it in each document's outbox.

Every change of state is one conditional write: recording is an insert under the delivery's id (a
duplicate event inserts nothing), claiming is an atomic find-and-update from `pending` (or from a
`sending` whose lease ran out), and an attempt's outcome is stored only by the claim that made it.
"""

from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.notify.domain.delivery import Delivery, DeliveryState
from services.notify.domain.masking import mask_recipient
from shared.messages import Envelope
from shared.outbox import OUTBOX, OUTBOX_PENDING, ensure_outbox_index, outbox_fields, with_outbox
from shared.store.port import Collection, Database

COLLECTION = "deliveries"
# What the log's readers see: never the address, the facts (which quote the dossier) or the outbox.
PUBLIC_FIELDS = {"recipient": 0, "facts": 0, OUTBOX: 0, OUTBOX_PENDING: 0, "claim": 0}


class DeliveryLog:
    def __init__(self, db: Database) -> None:
        self.collection: Collection = db[COLLECTION]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("state", 1), ("next_attempt_at", 1)])  # what is due
        await self.collection.create_index([("state", 1), ("lease_until", 1)])  # what a dead sender left
        await self.collection.create_index([("dossier_id", 1), ("version", 1)])  # a dossier's log
        await ensure_outbox_index(self.collection)  # what the outbox relay reads, oldest change first
        await self.collection.create_index([("for_event_id", 1), ("state", 1)])  # awaiting a slip

    async def record(self, delivery: Delivery) -> bool:
        """Store a new pending delivery; False when this status change's delivery was already recorded."""
        return await self._insert(_to_document(delivery) | {"next_attempt_at": delivery.created_at})

    async def is_recorded(self, delivery_id: str) -> bool:
        """Whether this status change's delivery is in the log already (a redelivered event's)."""
        return await self.collection.find_one({"_id": delivery_id}, {"_id": 1}) is not None

    async def record_failed(self, delivery: Delivery, error_type: str, failed: Envelope) -> bool:
        """Store a delivery that cannot even be tried, failed at once, with the event that reports it."""
        return await self._insert(_to_document(delivery) | {
            "state": DeliveryState.FAILED.value, "error_type": error_type, "failed_at": delivery.created_at,
            **outbox_fields([failed])})

    async def _insert(self, document: dict[str, Any]) -> bool:
        try:
            await self.collection.insert_one(document)
        except DuplicateKeyError:
            return False
        return True

    async def release_waiting(self, for_event_id: str, slip: dict[str, Any], now: datetime) -> bool:
        """The slip a waiting delivery carries was issued: make it due now; False when none was waiting."""
        result = await self.collection.update_one(
            {"for_event_id": for_event_id, "state": DeliveryState.WAITING.value},
            {"$set": {"state": DeliveryState.PENDING.value, "next_attempt_at": now, "updated_at": now,
                      "facts.slip": slip}})
        return bool(result.modified_count)

    async def claim_due(self, now: datetime, lease: timedelta) -> Delivery | None:
        """Take the delivery due longest, for one attempt, so that no other sender takes it meanwhile."""
        claim = uuid4().hex
        document = await self.collection.find_one_and_update(
            {"$or": [{"state": DeliveryState.PENDING.value, "next_attempt_at": {"$lte": now}},
                     {"state": DeliveryState.SENDING.value, "lease_until": {"$lte": now}}]},
            {"$set": {"state": DeliveryState.SENDING.value, "claim": claim, "lease_until": now + lease,
                      "updated_at": now},
             "$inc": {"attempts": 1}},
            sort=[("next_attempt_at", 1)], return_document=ReturnDocument.AFTER)
        return _to_delivery(document) if document else None

    async def mark_sent(self, delivery: Delivery, at: datetime, sent: Envelope) -> bool:
        return await self._settle(delivery, {"state": DeliveryState.SENT.value, "sent_at": at,
                                             "error_type": None}, at, sent)

    async def mark_failed(self, delivery: Delivery, at: datetime, error_type: str, failed: Envelope) -> bool:
        return await self._settle(delivery, {"state": DeliveryState.FAILED.value, "failed_at": at,
                                             "error_type": error_type}, at, failed)

    async def retry_at(self, delivery: Delivery, at: datetime, error_type: str, now: datetime) -> bool:
        return await self._settle(delivery, {"state": DeliveryState.PENDING.value, "next_attempt_at": at,
                                             "error_type": error_type}, now, None)

    async def _settle(
        self, delivery: Delivery, fields: dict[str, Any], now: datetime, event: Envelope | None,
    ) -> bool:
        """Store an attempt's outcome, if the claim that made the attempt is still the delivery's."""
        update: dict[str, Any] = {"$set": {**fields, "updated_at": now, "lease_until": None, "claim": None}}
        if event is not None:
            update = with_outbox(update, [event])
        result = await self.collection.update_one(
            {"_id": delivery.id, "state": DeliveryState.SENDING.value, "claim": delivery.claim}, update)
        return bool(result.modified_count)

    async def try_again(self, delivery_id: str, now: datetime) -> bool:
        """Give a failed delivery a fresh set of attempts (an operator's decision); False if not failed."""
        result = await self.collection.update_one(
            {"_id": delivery_id, "state": DeliveryState.FAILED.value, "recipient": {"$type": "string"}},
            {"$set": {"state": DeliveryState.PENDING.value, "attempts": 0, "next_attempt_at": now,
                      "updated_at": now, "error_type": None, "failed_at": None}})
        return bool(result.modified_count)

    async def find(self, delivery_id: str) -> dict[str, Any] | None:
        found: dict[str, Any] | None = await self.collection.find_one({"_id": delivery_id}, PUBLIC_FIELDS)
        return found

    async def of_dossier(self, dossier_id: str) -> list[dict[str, Any]]:
        """A dossier's deliveries in the order of its changes, without addresses or content."""
        cursor = self.collection.find({"dossier_id": dossier_id}, PUBLIC_FIELDS)
        return list(await cursor.sort([("version", 1), ("_id", 1)]).to_list(None))


def _to_document(delivery: Delivery) -> dict[str, Any]:
    return {
        "_id": delivery.id, "dossier_id": delivery.dossier_id, "version": delivery.version,
        "template": delivery.template, "channel": delivery.channel, "for_event_id": delivery.for_event_id,
        "correlation_id": delivery.correlation_id, "recipient": delivery.recipient,
        "masked_recipient": mask_recipient(delivery.channel, delivery.recipient) if delivery.recipient else None,
        "facts": delivery.facts, "state": delivery.state.value, "attempts": delivery.attempts,
        "created_at": delivery.created_at, "updated_at": delivery.created_at, "error_type": None,
        "sent_at": None, "failed_at": None, "lease_until": None, "claim": None, OUTBOX: [],
    }


def _to_delivery(document: dict[str, Any]) -> Delivery:
    return Delivery(
        id=document["_id"], dossier_id=document["dossier_id"], version=document["version"],
        template=document["template"], for_event_id=document["for_event_id"],
        correlation_id=document.get("correlation_id"), recipient=document.get("recipient"),
        facts=document.get("facts") or {}, created_at=document["created_at"],
        state=DeliveryState(document["state"]), attempts=document.get("attempts", 0), claim=document.get("claim"),
        channel=document.get("channel", "email"),
    )

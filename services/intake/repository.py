"""Intake's store of dossiers (its own database), each document carrying its outbox."""

from collections.abc import Sequence
from typing import Any

from services.intake.domain import Dossier, Owner
from shared.errors import StaleVersion
from shared.messages import DossierContent, Envelope
from shared.outbox import OUTBOX, TOMBSTONE, new_document_outbox, push_to_outbox
from shared.statuses import Status

COLLECTION = "dossiers"


class DossierRepository:
    def __init__(self, db: Any) -> None:
        self.collection = db[COLLECTION]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("owner_id", 1), ("updated_at", -1)])
        await self.collection.create_index([("updated_at", 1)])

    async def get(self, dossier_id: str, owner_id: str) -> Dossier | None:
        """The owner's dossier, or None for an unknown, deleted or someone else's dossier."""
        document = await self.collection.find_one(
            {"_id": dossier_id, "owner_id": owner_id, TOMBSTONE: {"$ne": True}})
        return _to_dossier(document) if document else None

    async def get_any(self, dossier_id: str) -> Dossier | None:
        """The dossier whoever owns it, for events that name only the dossier."""
        document = await self.collection.find_one({"_id": dossier_id, TOMBSTONE: {"$ne": True}})
        return _to_dossier(document) if document else None

    async def current_version(self, dossier_id: str) -> int | None:
        document = await self.collection.find_one({"_id": dossier_id}, {"version": 1})
        return int(document["version"]) if document else None

    async def add(self, dossier: Dossier, events: Sequence[Envelope]) -> None:
        await self.collection.insert_one({**_to_document(dossier), OUTBOX: new_document_outbox(events)})

    async def save(self, dossier: Dossier, previous_version: int, events: Sequence[Envelope]) -> None:
        """Store the change and its events in one write, refused if someone else changed it meanwhile."""
        await self._update_if_unchanged(dossier.id, previous_version,
                                        {"$set": _to_document(dossier), **push_to_outbox(events)})

    async def remove(self, dossier: Dossier, events: Sequence[Envelope]) -> None:
        """Leave a tombstone that the outbox relay deletes once the events are published."""
        await self._update_if_unchanged(dossier.id, dossier.version, {
            "$set": {TOMBSTONE: True, "version": dossier.version + 1}, **push_to_outbox(events)})

    async def _update_if_unchanged(self, dossier_id: str, version: int, update: dict[str, Any]) -> None:
        result = await self.collection.update_one(
            {"_id": dossier_id, "version": version, TOMBSTONE: {"$ne": True}}, update)
        if result.matched_count == 0:
            raise StaleVersion()


def _to_document(dossier: Dossier) -> dict[str, Any]:
    return {
        "_id": dossier.id, "owner_id": dossier.owner.id, "owner_email": dossier.owner.email,
        "status": dossier.status.value, "version": dossier.version,
        "content": dossier.content.model_dump(mode="json"),
        "created_at": dossier.created_at, "updated_at": dossier.updated_at,
    }


def _to_dossier(document: dict[str, Any]) -> Dossier:
    return Dossier(
        id=document["_id"], owner=Owner(document["owner_id"], document.get("owner_email")),
        status=Status(document["status"]), version=document["version"],
        content=DossierContent.model_validate(document["content"]),
        created_at=document["created_at"], updated_at=document["updated_at"],
    )

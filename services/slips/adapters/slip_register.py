"""The slip register (its own `slips` collection): every slip issued, where its signed bytes are, and the
`slip.issued` event waiting in its outbox. A slip's entry is written once and never changed."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo.errors import DuplicateKeyError

from shared.messages import Envelope
from shared.outbox import ensure_outbox_index, outbox_fields
from shared.store.port import Collection, Database

COLLECTION = "slips"


@dataclass(frozen=True)
class IssuedSlip:
    id: str
    dossier_id: str
    owner_id: str
    kind: str
    title: str
    number: str
    issued_at: datetime
    blob_id: str
    size: int
    sha256: str
    for_event_id: str
    facts: dict[str, Any]

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.number.replace('/', '-')}.pdf"


class SlipRegister:
    def __init__(self, db: Database) -> None:
        self.collection: Collection = db[COLLECTION]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("dossier_id", 1), ("kind", 1), ("issued_at", -1)])
        await ensure_outbox_index(self.collection)  # what the outbox relay reads, oldest change first

    async def exists(self, slip_id: str) -> bool:
        return await self.collection.find_one({"_id": slip_id}, {"_id": 1}) is not None

    async def record(self, slip: IssuedSlip, issued: Envelope) -> bool:
        """Store the issued slip with its event; False when this step's slip was recorded already."""
        try:
            await self.collection.insert_one({
                "_id": slip.id, "dossier_id": slip.dossier_id, "owner_id": slip.owner_id, "kind": slip.kind,
                "title": slip.title, "number": slip.number, "issued_at": slip.issued_at, "blob_id": slip.blob_id,
                "size": slip.size, "sha256": slip.sha256, "for_event_id": slip.for_event_id, "facts": slip.facts,
                "updated_at": slip.issued_at, **outbox_fields([issued])})
        except DuplicateKeyError:
            return False
        return True

    async def find(self, dossier_id: str, kind: str, slip_id: str | None) -> IssuedSlip | None:
        """That slip of the dossier, or its newest of the kind when no slip id is given."""
        selector: dict[str, Any] = {"dossier_id": dossier_id, "kind": kind}
        if slip_id is not None:
            selector["_id"] = slip_id
        documents = await self.collection.find(selector).sort([("issued_at", -1), ("_id", -1)]).limit(1).to_list(1)
        return _to_slip(documents[0]) if documents else None

    async def of_dossier(self, dossier_id: str) -> list[IssuedSlip]:
        documents = await self.collection.find({"dossier_id": dossier_id}).sort("issued_at", 1).to_list(None)
        return [_to_slip(document) for document in documents]


def _to_slip(document: dict[str, Any]) -> IssuedSlip:
    return IssuedSlip(
        id=document["_id"], dossier_id=document["dossier_id"], owner_id=document["owner_id"], kind=document["kind"],
        title=document["title"], number=document["number"], issued_at=document["issued_at"],
        blob_id=document["blob_id"], size=document["size"], sha256=document["sha256"],
        for_event_id=document["for_event_id"], facts=document.get("facts") or {})

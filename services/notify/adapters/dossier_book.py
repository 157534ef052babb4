"""Notify's recipient book (its own `dossiers` collection): per dossier, its owner and what the mail says of
the dossier (title, procedure, lookup code), learned from events. Not the address or phone: intake answers
them (an entry written before they left the events may still hold them; nothing reads them)."""

from typing import Any

from pymongo.errors import DuplicateKeyError

from services.notify.domain.dossier_facts import DossierFacts, Learned
from shared.store.port import Collection, Database

COLLECTION = "dossiers"


class DossierBook:
    def __init__(self, db: Database) -> None:
        self.collection: Collection = db[COLLECTION]

    async def get(self, dossier_id: str) -> DossierFacts | None:
        document = await self.collection.find_one({"_id": dossier_id})
        if document is None:
            return None
        return DossierFacts(title=document.get("title"), procedure_code=document.get("procedure_code"),
                            lookup_code=document.get("lookup_code"))

    async def learn(self, dossier_id: str, version: int, learned: Learned) -> None:
        """Record what an event at `version` told; content from an older event never replaces a newer one."""
        owner: dict[str, Any] = {"owner_id": learned.owner_id}
        if learned.lookup_code:
            owner["lookup_code"] = learned.lookup_code
        await self._upsert(dossier_id, owner)
        if learned.title is not None:
            await self.collection.update_one(
                {"_id": dossier_id, "$or": [{"content_version": {"$lt": version}},
                                            {"content_version": {"$exists": False}}]},
                {"$set": {"title": learned.title, "procedure_code": learned.procedure_code,
                          "content_version": version}})

    async def _upsert(self, dossier_id: str, fields: dict[str, Any]) -> None:
        try:
            await self.collection.update_one({"_id": dossier_id}, {"$set": fields}, upsert=True)
        except DuplicateKeyError:
            # Two replicas inserted the same entry at once: it exists now, so update it.
            await self.collection.update_one({"_id": dossier_id}, {"$set": fields})

"""The slips service's dossier book (its own `dossiers` collection): what its slips say of each dossier,
learned from the events (services/slips/domain/facts.py)."""

from typing import Any

from pymongo.errors import DuplicateKeyError

from services.slips.domain.facts import DossierFacts, facts_of
from shared.store.port import Collection, Database

COLLECTION = "dossiers"
SUBMISSION_FIELDS = ("owner_id", "procedure_code", "title", "applicant_name", "applicant_address", "documents")


class DossierBook:
    def __init__(self, db: Database) -> None:
        self.collection: Collection = db[COLLECTION]

    async def get(self, dossier_id: str) -> DossierFacts | None:
        document = await self.collection.find_one({"_id": dossier_id})
        return facts_of(document) if document else None

    async def learn(self, dossier_id: str, version: int, fields: dict[str, Any]) -> None:
        """Record what an event at `version` told; a submission never replaces a later one's content."""
        if any(name in fields for name in SUBMISSION_FIELDS):
            selector: dict[str, Any] = {"_id": dossier_id, "$or": [{"content_version": {"$lt": version}},
                                                                   {"content_version": {"$exists": False}}]}
            fields = {**fields, "content_version": version}
        else:
            selector = {"_id": dossier_id}
        try:
            await self.collection.update_one(selector, {"$set": fields}, upsert=True)
        except DuplicateKeyError:
            # The entry exists with newer content (the selector missed it), or two replicas inserted it at
            # once: set what is not content, if anything.
            rest = {name: value for name, value in fields.items()
                    if name not in (*SUBMISSION_FIELDS, "content_version")}
            if rest:
                await self.collection.update_one({"_id": dossier_id}, {"$set": rest})

"""Transaction references (mã giao dịch) handed to providers: unique across every payment replica, and the
way from a provider's report back to the dossier it pays."""

from datetime import datetime

from pymongo.errors import DuplicateKeyError

from shared.store.port import Collection, Database

COLLECTION = "payment_references"


class PaymentReferences:
    """The references handed to providers, each naming the dossier whose payment it is."""

    def __init__(self, db: Database) -> None:
        self.collection: Collection = db[COLLECTION]

    async def reserve(self, reference: str, dossier_id: str, now: datetime) -> bool:
        """Take `reference` for a payment of `dossier_id`; False when it is taken already."""
        try:
            await self.collection.insert_one({"_id": reference, "dossier_id": dossier_id, "reserved_at": now})
        except DuplicateKeyError:
            return False
        return True

    async def release(self, reference: str) -> None:
        """A reference reserved for a payment that was not started after all."""
        await self.collection.delete_one({"_id": reference})

    async def dossier_of(self, reference: str) -> str | None:
        found = await self.collection.find_one({"_id": reference}, {"dossier_id": 1})
        return str(found["dossier_id"]) if found else None

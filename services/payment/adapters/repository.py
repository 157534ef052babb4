"""Payment's store of payment requests (its own database): one document per dossier, carrying its outbox.

Every write is conditional on the revision the decision was made on, so two decisions taken on the same
record at the same moment (ten copies of one provider report) cannot both be stored.
"""

from collections.abc import Sequence
from typing import Any

from services.payment.domain.payment_request import Payment, PaymentRequest
from shared.holder.command_keys import KeptAnswer, kept_answers
from shared.holder.documents import insert_held, update_held
from shared.messages import Envelope
from shared.outbox import OUTBOX, ensure_outbox_index
from shared.payments import FeeLine
from shared.statuses import Status
from shared.store.port import Collection, Database

COLLECTION = "payment_requests"
PAYMENT_FIELDS = ("id", "request_version", "method", "amount_vnd", "state", "started_at", "provider", "reference",
                  "expires_at", "settled_at", "receipt_number", "provider_code", "provider_transaction_id")


class PaymentRequests:
    """Payment's records of the dossiers it holds or held (the kit's `HeldRecords` of `PaymentRequest`)."""

    record_name = "payment_request"

    def __init__(self, db: Database) -> None:
        self.collection: Collection = db[COLLECTION]

    async def ensure_indexes(self) -> None:
        await ensure_outbox_index(self.collection)  # what the outbox relay reads, oldest change first

    async def get(self, dossier_id: str) -> PaymentRequest | None:
        document = await self.collection.find_one({"_id": dossier_id}, {OUTBOX: 0})
        return _to_record(document) if document else None

    async def to_recall(self) -> list[str]:
        """The dossiers stored before processing kept the fees paid, with a payment settled: to recall."""
        found = self.collection.find({"paid_recalled": {"$ne": True}, "payments.state": "paid"}, {"_id": 1})
        return [document["_id"] async for document in found]

    async def current_version(self, dossier_id: str) -> int | None:
        document = await self.collection.find_one({"_id": dossier_id}, {"version": 1})
        return int(document["version"]) if document else None

    async def add(self, record: PaymentRequest, events: Sequence[Envelope]) -> None:
        """Store a record seen for the first time; VersionConflict if another delivery stored it first."""
        await insert_held(self.collection, record.id, _to_document(record), events)

    async def save(self, record: PaymentRequest, previous_revision: int, events: Sequence[Envelope],
                   command_id: str | None = None, answered: KeptAnswer | None = None) -> None:
        """Store the change, its events and the command that caused it (its id, or its key and answer) in one
        write, if nobody else wrote."""
        await update_held(self.collection, record.id, {"revision": previous_revision}, _to_document(record), events,
                          command_id, answered)


def _to_document(record: PaymentRequest) -> dict[str, Any]:
    """Every field but the id and the lists that only grow by `$push` (outbox, applied commands, answers)."""
    return {
        "owner_id": record.owner_id, "procedure_code": record.procedure_code, "status": record.status.value,
        "version": record.version, "revision": record.revision, "requested_version": record.requested_version,
        "items": [item.model_dump() for item in record.items], "amount_vnd": record.amount_vnd,
        "reason": record.reason, "lookup_code": record.lookup_code, "requested_at": record.requested_at,
        "updated_at": record.updated_at,
        "payments": [{name: getattr(payment, name) for name in PAYMENT_FIELDS} for payment in record.payments],
        "paid_recalled": record.paid_recalled,
    }


def _to_record(document: dict[str, Any]) -> PaymentRequest:
    return PaymentRequest(
        id=document["_id"], owner_id=document["owner_id"], procedure_code=document["procedure_code"],
        status=Status(document["status"]), version=document["version"], revision=document["revision"],
        requested_version=document["requested_version"],
        items=tuple(FeeLine.model_validate(item) for item in document["items"]),
        amount_vnd=document["amount_vnd"], reason=document.get("reason"), lookup_code=document.get("lookup_code"),
        requested_at=document["requested_at"],
        updated_at=document["updated_at"],
        payments=tuple(Payment(**{name: stored.get(name) for name in PAYMENT_FIELDS})
                       for stored in document.get("payments", ())),
        applied_commands=tuple(document.get("applied_commands", ())),
        command_answers=kept_answers(document),
        # Stored before processing kept the fees paid: its settled payments are still to be recalled.
        paid_recalled=document.get("paid_recalled", False),
    )

"""Processing's store of dossiers (its own database): one document per dossier, carrying its outbox.

Every write is conditional on the version the decision was made on, so two decisions taken on the same
state at the same moment (a withdraw and an accept) cannot both be stored.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from pymongo.errors import DuplicateKeyError

from services.processing.domain.dossier import Delivery, Dossier, PaidFee, Rating, Result
from services.processing.errors import LookupCodeTaken
from shared.documents import SentDocument
from shared.holder.command_keys import KeptAnswer, kept_answers
from shared.holder.documents import insert_held, update_held
from shared.lifecycle import ResultDocument
from shared.messages import Envelope
from shared.outbox import ensure_outbox_index
from shared.payments import FeeLine
from shared.statuses import Status
from shared.store.port import Collection, Database

COLLECTION = "dossiers"
# Payments settled before the record kept the fees paid, as payment recalled them (`payment.paid_recalled`).
RECALLED = "recalled_paid_fees"


class DossierRepository:
    """Processing's records of the dossiers it holds or held (the kit's `HeldRecords` of `Dossier`)."""

    record_name = "dossier"

    def __init__(self, db: Database) -> None:
        self.collection: Collection = db[COLLECTION]

    async def ensure_indexes(self) -> None:
        # Partial: dossiers not yet received have no code (null), and those must not collide.
        await self.collection.create_index("lookup_code", unique=True,
                                           partialFilterExpression={"lookup_code": {"$type": "string"}})
        await ensure_outbox_index(self.collection)  # what the outbox relay reads, oldest change first
        await self.collection.create_index([("due_date", 1), ("_id", 1)])  # the daily deadline watch

    async def get(self, dossier_id: str) -> Dossier | None:
        document = await self.collection.find_one({"_id": dossier_id})
        return _to_dossier(document) if document else None

    async def add_recalled_paid_fees(self, dossier_id: str, fees: Sequence[PaidFee]) -> bool:
        """Keep payments payment recalled (settled before this record kept the fees paid) beside the record.

        A list of its own that only grows by `$push`, which no change of the dossier overwrites (a change
        sets every other field), so it needs no version: it is added to whatever the dossier is doing. Only
        where none of them is kept already, so a redelivery adds nothing; False when nothing was added."""
        ids = [fee.payment_id for fee in fees]
        result = await self.collection.update_one(
            {"_id": dossier_id, RECALLED: {"$not": {"$elemMatch": {"payment_id": {"$in": ids}}}}},
            {"$push": {RECALLED: {"$each": [_paid_fee_document(fee) for fee in fees]}}})
        return result.modified_count == 1

    async def holds_lookup_code(self, lookup_code: str) -> bool:
        """Whether some dossier has this lookup code already."""
        return await self.collection.find_one({"lookup_code": lookup_code}, {"_id": 1}) is not None

    async def at_risk_ids(self, statuses: Sequence[str], due_by: date) -> list[str]:
        """The dossiers in `statuses` due on or before `due_by` (a day in Vietnam), earliest first."""
        cursor = self.collection.find(
            {"status": {"$in": list(statuses)}, "due_date": {"$type": "string", "$lte": due_by.isoformat()}},
            {"_id": 1}).sort([("due_date", 1), ("_id", 1)])
        return [document["_id"] for document in await cursor.to_list(None)]

    async def current_version(self, dossier_id: str) -> int | None:
        document = await self.collection.find_one({"_id": dossier_id}, {"version": 1})
        return int(document["version"]) if document else None

    async def add(self, dossier: Dossier, events: Sequence[Envelope]) -> None:
        """Store a dossier seen for the first time; VersionConflict if another delivery stored it first."""
        await insert_held(self.collection, dossier.id, _to_document(dossier), events)

    async def save(
        self, dossier: Dossier, previous_revision: int, events: Sequence[Envelope], command_id: str | None = None,
        answered: KeptAnswer | None = None,
    ) -> None:
        """Store the change, its events and the command that caused it (its id, or its key and answer) in one
        write, if the stored version is still `previous_revision` (the dossier's revision is its version)."""
        try:
            await update_held(self.collection, dossier.id, {"version": previous_revision}, _to_document(dossier),
                              events, command_id, answered)
        except DuplicateKeyError:
            raise LookupCodeTaken(dossier.lookup_code) from None


def _to_document(dossier: Dossier) -> dict[str, Any]:
    """Every field but the id and the lists that only grow by `$push` (outbox, applied commands, answers)."""
    return {
        "owner_id": dossier.owner_id, "procedure_code": dossier.procedure_code, "status": dossier.status.value,
        "version": dossier.version,
        "lookup_code": dossier.lookup_code, "received_at": dossier.received_at,
        # BSON has no date without a time: the day is kept as ISO text.
        "due_date": dossier.due_date.isoformat() if dossier.due_date else None,
        "remaining_working_days": dossier.remaining_working_days,
        "original_due_date": dossier.original_due_date.isoformat() if dossier.original_due_date else None,
        "rescheduled_late": dossier.rescheduled_late,
        "warned": list(dossier.warned),
        "result": _result_document(dossier.result), "updated_at": dossier.updated_at,
        "documents": [document.model_dump() for document in dossier.documents],
        "requested_fees": [item.model_dump() for item in dossier.requested_fees],
        "paid_fees": [_paid_fee_document(paid) for paid in dossier.paid_fees],
        "rating": _rating_document(dossier.rating),
    }


def _rating_document(rating: Rating | None) -> dict[str, Any] | None:
    if rating is None:
        return None
    return {"level": rating.level, "comment": rating.comment, "rated_at": rating.rated_at}


def _to_rating(document: dict[str, Any] | None) -> Rating | None:
    if document is None:
        return None
    return Rating(level=document["level"], comment=document.get("comment"), rated_at=document["rated_at"])


def _paid_fee_document(paid: PaidFee) -> dict[str, Any]:
    return {"payment_id": paid.payment_id, "method": paid.method, "items": [item.model_dump() for item in paid.items],
            "amount_vnd": paid.amount_vnd, "receipt_number": paid.receipt_number, "paid_at": paid.paid_at}


def _result_document(result: Result | None) -> dict[str, Any] | None:
    if result is None:
        return None
    delivery = result.delivery
    return {
        "summary": result.summary, "issued_at": result.issued_at,
        "document": result.document.model_dump() if result.document else None,
        "delivery": {"method": delivery.method, "postal_address": delivery.postal_address,
                     "tracking_number": delivery.tracking_number} if delivery else None,
    }


def _to_dossier(document: dict[str, Any]) -> Dossier:
    due_date = document.get("due_date")
    return Dossier(
        id=document["_id"], owner_id=document["owner_id"], procedure_code=document["procedure_code"],
        status=Status(document["status"]),
        version=document["version"], updated_at=document["updated_at"],
        lookup_code=document.get("lookup_code"), received_at=document.get("received_at"),
        due_date=date.fromisoformat(due_date) if due_date else None,
        remaining_working_days=document.get("remaining_working_days"),
        # Records stored before rescheduling existed were never rescheduled.
        original_due_date=_day(document.get("original_due_date")),
        rescheduled_late=bool(document.get("rescheduled_late")),
        warned=tuple(document.get("warned", ())),
        result=_to_result(document.get("result")),
        # Records stored before documents were kept have none: they read as a submission without documents.
        documents=tuple(SentDocument.model_validate(sent) for sent in document.get("documents", ())),
        # Records stored before fees were kept have none: read as never paid (payment's records tell what was).
        requested_fees=tuple(FeeLine.model_validate(item) for item in document.get("requested_fees", ())),
        paid_fees=_paid_fees(document),
        # Records stored before ratings existed have none: not rated.
        rating=_to_rating(document.get("rating")),
        applied_commands=tuple(document.get("applied_commands", ())),
        command_answers=kept_answers(document),
    )


def _to_result(document: dict[str, Any] | None) -> Result | None:
    if document is None:
        return None
    delivery = document.get("delivery")
    return Result(
        summary=document["summary"], issued_at=document["issued_at"],
        document=ResultDocument.model_validate(document["document"]) if document.get("document") else None,
        delivery=Delivery(delivery["method"], delivery.get("postal_address"), delivery.get("tracking_number"))
        if delivery else None,
    )


def _paid_fees(document: dict[str, Any]) -> tuple[PaidFee, ...]:
    """Every request paid, oldest first: those recalled (paid before the record kept them) and those kept
    since. A recalled one is kept among `paid_fees` too once the dossier is next changed: it counts once."""
    kept = [_to_paid_fee(paid) for paid in document.get("paid_fees", ())]
    known = {paid.payment_id for paid in kept}
    recalled = [_to_paid_fee(paid) for paid in document.get(RECALLED, ()) if paid["payment_id"] not in known]
    return (*recalled, *kept)


def _to_paid_fee(document: dict[str, Any]) -> PaidFee:
    return PaidFee(
        payment_id=document["payment_id"], method=document["method"],
        items=tuple(FeeLine.model_validate(item) for item in document["items"]),
        amount_vnd=document["amount_vnd"], receipt_number=document["receipt_number"], paid_at=document["paid_at"])


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None

"""Intake's store of dossiers (its own database), each document carrying its outbox.

The files' bytes are not here: they are in intake's blob store (`shared.blobs`), under each file's id.
"""

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pymongo.errors import DuplicateKeyError

from services.intake.domain import Dossier, DossierFile, Owner, SupplementRequest
from shared.documents import AttachedFile
from shared.holder.command_keys import FIELD as COMMAND_ANSWERS
from shared.holder.command_keys import KeptAnswer, answer_to, kept_answer_document, kept_answers, push_answer
from shared.holder.errors import VersionConflict
from shared.messages import DraftContent, Envelope, utc_now
from shared.outbox import TOMBSTONE, TOMBSTONE_KEPT_UNTIL, ensure_outbox_index, outbox_fields, with_outbox
from shared.statuses import Status
from shared.store.port import Collection, Database

COLLECTION = "dossiers"
# As long as the gateway keeps a key (IDEMPOTENCY_HOURS' default): a deletion retried under it is answered.
KEEP_DELETION_ANSWER = timedelta(hours=24)
# What a tombstone kept that long drops: the citizen deleted it, so nothing of its content stays.
TOMBSTONE_DROPS = ("content", "files", "owner_email", "owner_phone", "supplement")


class DossierRepository:
    def __init__(self, db: Database) -> None:
        self.collection: Collection = db[COLLECTION]

    async def ensure_indexes(self) -> None:
        await self.collection.create_index([("owner_id", 1), ("updated_at", -1)])
        await self.collection.create_index([("updated_at", 1)])
        await ensure_outbox_index(self.collection)  # what the outbox relay reads, oldest change first

    async def get(self, dossier_id: str, owner_id: str) -> Dossier | None:
        """The owner's dossier, or None for an unknown, deleted or someone else's dossier."""
        document = await self.collection.find_one(
            {"_id": dossier_id, "owner_id": owner_id, TOMBSTONE: {"$ne": True}})
        return _to_dossier(document) if document else None

    async def get_any(self, dossier_id: str) -> Dossier | None:
        """The dossier whoever owns it, for events that name only the dossier."""
        document = await self.collection.find_one({"_id": dossier_id, TOMBSTONE: {"$ne": True}})
        return _to_dossier(document) if document else None

    async def owners_of(self, dossier_ids: Sequence[str]) -> dict[str, Owner]:
        """The owners of those dossiers, by id; unknown ones and deleted drafts (their tombstones keep no
        contacts) are left out."""
        cursor = self.collection.find({"_id": {"$in": list(dossier_ids)}, TOMBSTONE: {"$ne": True}},
                                      {"owner_id": 1, "owner_email": 1, "owner_phone": 1})
        return {document["_id"]: _owner_of(document) for document in await cursor.to_list(None)}

    async def current_version(self, dossier_id: str) -> int | None:
        """The version stored, a deleted draft's too, for the gateway's read-your-writes (shared.versions)."""
        document = await self.collection.find_one({"_id": dossier_id}, {"version": 1})
        return int(document["version"]) if document else None

    async def add(self, dossier: Dossier, events: Sequence[Envelope], answered: KeptAnswer | None = None) -> None:
        """Store a new dossier with its events (and the key and answer of the command that created it);
        VersionConflict if a dossier with its id exists already (one created by the same key)."""
        answers = [] if answered is None else [kept_answer_document(answered)]
        try:
            await self.collection.insert_one({**_to_document(dossier), **outbox_fields(events),
                                              COMMAND_ANSWERS: answers})
        except DuplicateKeyError:
            raise VersionConflict(dossier.id) from None

    async def answer_kept(self, dossier_id: str, owner_id: str, key: str) -> Mapping[str, Any] | None:
        """The answer kept under `key` on the owner's dossier, a deleted draft's too (its tombstone keeps it)."""
        document = await self.collection.find_one({"_id": dossier_id, "owner_id": owner_id}, {COMMAND_ANSWERS: 1})
        return None if document is None else answer_to(kept_answers(document), key)

    async def save(self, dossier: Dossier, previous_version: int, events: Sequence[Envelope],
                   answered: KeptAnswer | None = None) -> None:
        """Store the change and its events (and the key and answer of the command) in one write;
        VersionConflict if someone else changed it meanwhile.

        A deleted dossier becomes a tombstone, which the outbox relay deletes once its events are published.
        """
        changed: dict[str, Any] = ({TOMBSTONE: True, "version": dossier.version} if dossier.deleted
                                   else _to_document(dossier))
        update: dict[str, Any] = {"$set": changed}
        if answered is not None:
            update["$push"] = push_answer(answered)
        if dossier.deleted and answered is not None:
            # Deleted under a key: the tombstone keeps the answer for the key's lifetime, and nothing else.
            # Retention counts in wall-clock time, whatever clock the decisions use.
            changed[TOMBSTONE_KEPT_UNTIL] = utc_now() + KEEP_DELETION_ANSWER
            update["$unset"] = dict.fromkeys(TOMBSTONE_DROPS, "")
        result = await self.collection.update_one(
            {"_id": dossier.id, "version": previous_version, TOMBSTONE: {"$ne": True}},
            with_outbox(update, events))
        if result.matched_count == 0:
            raise VersionConflict()

    def of_owner(self, owner_id: str) -> "HeldDossiers":
        """One citizen's dossiers, for their commands: anyone else's is not found."""
        return HeldDossiers(lambda dossier_id: self.get(dossier_id, owner_id), self)

    def of_any_owner(self) -> "HeldDossiers":
        """Every dossier, for the hand-backs, which name only the dossier."""
        return HeldDossiers(self.get_any, self)


@dataclass(frozen=True)
class HeldDossiers:
    """The repository as the holders' write path (`shared.holder.write.HeldRecords`) reads it: by id alone.

    `find` is the repository's own lookup, so that the owner filter stays in the query, in one place.
    """

    find: Callable[[str], Awaitable[Dossier | None]]
    repository: DossierRepository
    record_name = "dossier"

    async def get(self, dossier_id: str) -> Dossier | None:
        return await self.find(dossier_id)

    async def save(self, record: Dossier, previous_revision: int, events: Sequence[Envelope],
                   command_id: str | None = None, answered: KeptAnswer | None = None) -> None:
        # `command_id` is always None: intake takes no staff commands, so it never passes write_change one.
        await self.repository.save(record, previous_revision, events, answered)


def _to_document(dossier: Dossier) -> dict[str, Any]:
    supplement = dossier.supplement
    return {
        "_id": dossier.id, "owner_id": dossier.owner.id, "owner_email": dossier.owner.email,
        "owner_phone": dossier.owner.phone,
        "status": dossier.status.value, "version": dossier.version,
        "content": dossier.content.model_dump(mode="json"),
        "files": [{"code": attached.code, "file": attached.file.model_dump(mode="json"),
                   "attached_version": attached.attached_version, "sent": attached.sent}
                  for attached in dossier.files],
        "supplement": None if supplement is None else {"documents": list(supplement.documents),
                                                       "version": supplement.version},
        "last_sent_version": dossier.last_sent_version,
        "created_at": dossier.created_at, "updated_at": dossier.updated_at,
    }


def _to_dossier(document: dict[str, Any]) -> Dossier:
    # A document stored before dossiers had files has none of the fields below: no files, no request.
    supplement = document.get("supplement")
    return Dossier(
        id=document["_id"], owner=_owner_of(document),
        status=Status(document["status"]), version=document["version"],
        content=DraftContent.model_validate(document["content"]),
        created_at=document["created_at"], updated_at=document["updated_at"],
        files=tuple(DossierFile(code=stored["code"], file=AttachedFile.model_validate(stored["file"]),
                                attached_version=stored.get("attached_version", 0), sent=stored.get("sent", False))
                    for stored in document.get("files") or ()),
        supplement=None if not supplement else SupplementRequest(tuple(supplement.get("documents") or ()),
                                                                 supplement["version"]),
        last_sent_version=document.get("last_sent_version"),
        command_answers=kept_answers(document),
    )


def _owner_of(document: Mapping[str, Any]) -> Owner:
    return Owner(document["owner_id"], document.get("owner_email"), document.get("owner_phone"))

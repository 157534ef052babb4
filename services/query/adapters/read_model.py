"""The read model's store: dossiers shaped for the portal, and every applied event kept for rebuilds.

The only module that knows those two collections. Applying an event is one conditional write (filtered
on the id and the previous version), so two replicas racing on one dossier cannot both apply it.
"""

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from pymongo.errors import DuplicateKeyError

from services.query.adapters.gaps import GapNotes
from services.query.adapters.queries import (
    HAS_LOOKUP_KEY,
    by_lookup_code,
    dossier_search,
    one_dossier,
    visible_dossiers,
)
from services.query.domain.dates import as_utc, stored_time, today_in
from services.query.domain.filters import DossierFilters
from services.query.domain.ordering import Decision, decide
from services.query.domain.paging import LISTED_FIRST, SORT_FIELD, Cursor, after, before, listed_at
from services.query.domain.projection import Document, ProcedureNames, UnreadableEvent, project
from services.query.domain.replay import replay
from shared.logging import get_logger
from shared.messages import Actor, Applicant, Envelope, utc_now
from shared.statuses import CATALOG
from shared.store.port import Collection, Database

log = get_logger(__name__)

DOSSIERS = "dossiers"
EVENTS = "events"
# A list item needs none of the heavy or personal fields (the files' count is kept apart for it).
# A list item names the applicant (người nộp): of the applicant only the name is read, nothing else personal.
LIST_FIELDS = {"form": 0, "history": 0, "search_text": 0, "last_reason": 0, "result": 0,
               "payment": 0, "earlier_payments": 0, "documents": 0, "requested_documents": 0,
               **{f"applicant.{name}": 0 for name in Applicant.model_fields if name != "full_name"}}
# The public lookup reads these only, so nothing personal ever leaves the store for it.
LOOKUP_FIELDS = {"lookup_code": 1, "procedure_name": 1, "status": 1, "received_at": 1, "due_date": 1,
                 "history.at": 1, "history.to": 1}


@dataclass(frozen=True)
class ListedPage:
    """One page of a list: its items, how many match in all, its number, and the cursors on either side."""

    items: list[Document]
    total: int
    page: int
    next_cursor: Cursor | None
    previous_cursor: Cursor | None


@dataclass(frozen=True)
class UnclosedGap:
    """A dossier held at `stored_version` while versions up to `highest_kept` wait for a missing one."""

    dossier_id: str
    waiting_since: datetime
    highest_kept: int
    stored_version: int


class ReadModelRepository:
    def __init__(self, db: Database, procedure_name: ProcedureNames, zone: tzinfo) -> None:
        self._dossiers: Collection = db[DOSSIERS]
        self._events: Collection = db[EVENTS]
        self._procedure_name = procedure_name
        self._zone = zone
        self.gaps = GapNotes(db)

    async def ensure_indexes(self) -> None:
        # A citizen's lists: per status (and every status), newest status change first; and the staff lists
        # of every owner's dossiers (the Reception Unit's), the same two ways. Ending in the tie-break of
        # LISTED_FIRST, a page is read off the index in order, from its cursor, instead of sorted in memory.
        await self._dossiers.create_index([("owner_id", 1), ("status", 1), (SORT_FIELD, -1), ("_id", 1)])
        await self._dossiers.create_index([("owner_id", 1), (SORT_FIELD, -1), ("_id", 1)])
        await self._dossiers.create_index([("status", 1), (SORT_FIELD, -1), ("_id", 1)])
        await self._dossiers.create_index([(SORT_FIELD, -1), ("_id", 1)])
        # The lookup by code, and the `code` filter's prefix: only dossiers received have one.
        await self._dossiers.create_index(
            [("lookup_key", 1)], partialFilterExpression={"lookup_key": HAS_LOOKUP_KEY})
        await self._events.create_index([("dossier_id", 1), ("version", 1)], unique=True)
        await self.gaps.ensure_indexes()
        await self._key_older_documents()

    async def _key_older_documents(self) -> None:
        """Documents stored before the lists were ordered by `listed_at` get it (once; a no-op after)."""
        older = await self._dossiers.find({SORT_FIELD: {"$exists": False}}, {"history": 1, "updated_at": 1}).to_list(
            None)
        for document in older:
            await self._dossiers.update_one({"_id": document["_id"], SORT_FIELD: {"$exists": False}},
                                            {"$set": {SORT_FIELD: listed_at(document)}})

    async def apply(self, event: Envelope) -> bool:
        """Apply the dossier's next event, and the kept events it lets follow; False when nothing was applied
        (a duplicate, or an early event, kept until its predecessors arrive: parked, without a retry)."""
        assert event.dossier_id is not None and event.version is not None
        stored = await self._dossiers.find_one({"_id": event.dossier_id})
        if self._is_duplicate(event, stored):
            return False
        # Kept before it is applied: a crash in between leaves it for the redelivery, never lost.
        await self._record(event)
        if decide(_version(stored), event.version) is Decision.GAP:
            # Noted before looking again, so that whoever applies the predecessor meanwhile sees the note.
            await self.gaps.note(event.dossier_id, event.version, utc_now())
            stored = await self._dossiers.find_one({"_id": event.dossier_id})
            if decide(_version(stored), event.version) is Decision.GAP:
                log.info("early_event_kept", event_id=event.id, dossier_id=event.dossier_id,
                         version=event.version, stored_version=_version(stored))
                return False
            # The predecessor came meanwhile, perhaps before the note: this call closes the gap itself.
            return await self._apply_in_turn(event.dossier_id, stored, event, noted=True) > 0
        return await self._apply_in_turn(event.dossier_id, stored, event) > 0

    def _is_duplicate(self, event: Envelope, stored: Document | None) -> bool:
        assert event.version is not None
        if decide(_version(stored), event.version) is not Decision.DUPLICATE:
            return False
        log.debug("duplicate_event_dropped", event_id=event.id, dossier_id=event.dossier_id,
                  version=event.version, stored_version=_version(stored))
        return True

    async def _apply_in_turn(self, dossier_id: str, stored: Document | None, event: Envelope | None, *,
                             noted: bool = False) -> int:
        """Apply each next version, `event` or a kept one, until one is missing; how many were applied.

        A gap's note goes once its kept events are applied (or when this call made one): one is never made
        without an event kept first, so a dossier that never had a gap costs no write on the notes."""
        applied = kept_applied = 0
        while True:
            version = (_version(stored) or 0) + 1
            in_hand = event is not None and event.version == version
            if not in_hand:
                event = await self._kept(dossier_id, version)
                if event is None:
                    break
            assert event is not None
            try:
                projected = project(stored, event, self._procedure_name)
            except UnreadableEvent:
                if in_hand:
                    raise  # the bus dead-letters it
                # Kept from before its type was checked on arrival: the dossier waits here, reported as a gap.
                log.warning("kept_event_unreadable", dossier_id=dossier_id, version=version)
                break
            if await self._write(projected, _version(stored)):
                applied += 1
                kept_applied += 0 if in_hand else 1
                stored = projected
            else:  # another replica wrote first: go on from what is stored now
                stored = await self._dossiers.find_one({"_id": dossier_id})
        if kept_applied:
            log.info("kept_events_applied", dossier_id=dossier_id, version=_version(stored))
        if kept_applied or noted:
            await self.gaps.closed_up_to(dossier_id, _version(stored) or 0)
        return applied

    async def _kept(self, dossier_id: str, version: int) -> Envelope | None:
        found = await self._events.find_one({"dossier_id": dossier_id, "version": version})
        return None if found is None else _to_envelope(found)

    async def unclosed_gaps(self, noted_before: datetime) -> list[UnclosedGap]:
        """The dossiers waiting since before `noted_before` for a missing version; notes found stale (every
        kept version applied, a race's leftover) are removed instead."""
        unclosed = []
        for gap in await self.gaps.waiting_since_before(noted_before):
            stored = await self.current_version(gap.dossier_id) or 0
            if stored >= gap.highest_kept:
                await self.gaps.closed_up_to(gap.dossier_id, stored)
            else:
                unclosed.append(UnclosedGap(gap.dossier_id, gap.waiting_since, gap.highest_kept, stored))
        return unclosed

    async def list_dossiers(self, owner_id: str | None, filters: DossierFilters, page: int,
                            page_size: int, today: date | None = None) -> tuple[list[Document], int]:
        """One page (by its number) of the owner's dossiers (every owner's but drafts for staff: None), and
        how many match; `today` (in Vietnam, today by default) is the day the overdue filter counts from."""
        listed = await self.list_page(owner_id, filters, page_size, today, page=page)
        return listed.items, listed.total

    async def list_page(self, owner_id: str | None, filters: DossierFilters, page_size: int,
                        today: date | None = None, *, cursor: Cursor | None = None, page: int = 1) -> ListedPage:
        """The page `cursor` points to (keyset: stable while the list changes), or without one the page
        numbered `page` (by offset, as clients of the first contract ask)."""
        query = dossier_search(owner_id, filters, self._zone, today or today_in(self._zone))
        if cursor is None:
            skipped = (page - 1) * page_size
            found = await self._dossiers.find(query, LIST_FIELDS).sort(LISTED_FIRST).skip(skipped).limit(
                page_size + 1).to_list(None)
            items, more_after, more_before = found[:page_size], len(found) > page_size, skipped > 0
        else:
            page = cursor.page
            order = LISTED_FIRST if cursor.direction == "after" else [(name, -way) for name, way in LISTED_FIRST]
            found = await self._dossiers.find({"$and": [query, cursor.condition()]}, LIST_FIELDS).sort(order).limit(
                page_size + 1).to_list(None)
            items = found[:page_size]
            if cursor.direction == "after":
                more_after, more_before = len(found) > page_size, page > 1
            else:
                items.reverse()
                more_after, more_before = True, len(found) > page_size
        if cursor is None and page == 1 and not more_after:
            total = len(items)  # the only page: the total is known without matching everything again
        else:
            total = await self._dossiers.count_documents(query)
        return ListedPage(
            items=items, total=total, page=page,
            next_cursor=after(items[-1], page + 1) if items and more_after else None,
            previous_cursor=before(items[0], page - 1) if items and more_before and page > 1 else None)

    async def status_counts(self, owner_id: str | None) -> dict[str, int]:
        """Every status of the catalog, in lifecycle order, with how many of the dossiers seen hold it."""
        cursor = await self._dossiers.aggregate([
            {"$match": visible_dossiers(owner_id)},
            {"$group": {"_id": "$status", "count": {"$sum": 1}}},
        ])
        found = {row["_id"]: row["count"] for row in await cursor.to_list(None)}
        return {entry.code.value: found.get(entry.code.value, 0) for entry in CATALOG}

    async def get(self, dossier_id: str, owner_id: str | None) -> Document | None:
        """The dossier, or None when unknown, deleted, (given an owner) someone else's or (for staff) a draft."""
        document: Document | None = await self._dossiers.find_one(one_dossier(dossier_id, owner_id))
        return document

    async def find_by_lookup_code(self, code: str) -> Document | None:
        """The public fields of the dossier with this lookup code, or None (tra cứu hồ sơ)."""
        document: Document | None = await self._dossiers.find_one(by_lookup_code(code), LOOKUP_FIELDS)
        return document

    async def current_version(self, dossier_id: str) -> int | None:
        """The version the read model holds (a deleted draft counts, with its tombstone's version)."""
        document = await self._dossiers.find_one({"_id": dossier_id}, {"version": 1})
        return document["version"] if document else None

    async def rebuild(self) -> int:
        """Drop every dossier document and replay the kept events; answers how many dossiers there are."""
        await self._dossiers.delete_many({})
        cursor = self._events.find({}).sort([("dossier_id", 1), ("version", 1)])
        events = [_to_envelope(stored) for stored in await cursor.to_list(None)]
        rebuilt = 0
        for document in replay(events, self._procedure_name):
            await self._put_rebuilt(document)
            rebuilt += 1
        return rebuilt

    async def _record(self, event: Envelope) -> None:
        # Kept already (a redelivery), or another event already holds this version: either way, done.
        with contextlib.suppress(DuplicateKeyError):
            await self._events.insert_one(_to_stored_event(event))

    async def _write(self, document: Document, previous: int | None) -> bool:
        if previous is None:
            try:
                await self._dossiers.insert_one(document)
            except DuplicateKeyError:
                return False
            return True
        changes = {key: value for key, value in document.items() if key != "_id"}
        result = await self._dossiers.update_one(
            {"_id": document["_id"], "version": previous}, {"$set": changes})
        return bool(result.matched_count)

    async def _put_rebuilt(self, document: Document) -> None:
        # Live consumption may have written a newer version during the rebuild: never go back.
        if await self._write(document, None):
            return
        changes = {key: value for key, value in document.items() if key != "_id"}
        await self._dossiers.update_one(
            {"_id": document["_id"], "version": {"$lt": document["version"]}}, {"$set": changes})


def _version(stored: Document | None) -> int | None:
    return None if stored is None else int(stored["version"])


def _to_stored_event(event: Envelope) -> dict[str, Any]:
    return {
        "_id": event.id, "dossier_id": event.dossier_id, "version": event.version, "type": event.type,
        "occurred_at": stored_time(event.occurred_at), "producer": event.producer,
        "actor": event.actor.model_dump(), "correlation_id": event.correlation_id,
        "causation_id": event.causation_id, "schema_version": event.schema_version, "data": event.data,
    }


def _to_envelope(stored: Mapping[str, Any]) -> Envelope:
    return Envelope(
        id=stored["_id"], type=stored["type"], occurred_at=as_utc(stored["occurred_at"]),
        producer=stored["producer"], dossier_id=stored["dossier_id"], version=stored["version"],
        actor=Actor.model_validate(stored["actor"]), correlation_id=stored.get("correlation_id"),
        causation_id=stored.get("causation_id"), schema_version=stored.get("schema_version", 1),
        data=stored["data"],
    )

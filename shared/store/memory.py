"""The in-memory document store: mongomock behind the subset of PyMongo's async API that repositories use.

Every call runs to completion inside its coroutine, with no await in the middle, so each call is atomic on
the event loop the way a single-document write is atomic in MongoDB. Signatures follow PyMongo's
`AsyncCollection`; options this engine cannot honour (sessions, collations, hints) are not accepted, so
code that runs here also runs on MongoDB.

With a journal file (shared/store/journal.py), every call that changed something is appended as one JSON
line, fsync'd before the call returns, and replayed on start: an embedded run killed with SIGKILL finds its
data again. Several processes may share one journal, as replicas share one MongoDB: each catches up with
the others before every call, and a write holds the journal's exclusive lock until its line is appended.
Without a journal nothing is locked.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, BinaryIO, cast

import mongomock
import mongomock.aggregate
import mongomock.helpers
from bson import ObjectId
from pymongo import IndexModel, ReturnDocument
from pymongo.errors import DuplicateKeyError, OperationFailure, PyMongoError
from pymongo.results import DeleteResult, InsertManyResult, InsertOneResult, UpdateResult

from shared.store.journal import COMPACT_BYTES, Journal
from shared.store.memory_cursor import Document, MemoryCursor, index_list, sort_list
from shared.store.memory_index import IndexedStore, indexed_collection
from shared.store.memory_snapshot import read_tables, write_tables
from shared.store.mongomock_speedups import as_answered, as_stored, deep_copy
from shared.store.port import Database

Guard = Callable[[], AbstractContextManager[None]]

CLOSE_COMPACT_BYTES = 1024 * 1024  # what a graceful stop leaves to replay at most

_UNGUARDED = nullcontext()  # reusable: what a store without a journal enters around every call
# Aggregation stages that only read the documents they are given and make rows of their own.
_READING_STAGES = frozenset({"$match", "$group", "$sort", "$count", "$limit", "$skip"})

# mongomock's helpers are unannotated: given their types once here, so that callers stay typed.
_get_value_by_dot = cast(Callable[[Document, str], Any], mongomock.helpers.get_value_by_dot)
_process_pipeline = cast(Callable[..., Iterable[Document]], mongomock.aggregate.process_pipeline)
_gen_index_name = cast(Callable[[list[tuple[str, Any]]], str], mongomock.helpers.gen_index_name)


def _guards(journal: Journal | None) -> tuple[Guard, Guard]:
    """What to enter around a read and around a write: the journal's locks, or nothing at all."""
    if journal is None:
        return (lambda: _UNGUARDED), (lambda: _UNGUARDED)
    return journal.reading, journal.writing


def _value_at(document: Document, path: str) -> Any:
    """The value at a dotted path, None when missing: a unique index does not tell the two apart."""
    try:
        return _get_value_by_dot(document, path)
    except KeyError:
        return None


class MemoryCollection:
    """One collection, with the call shapes of PyMongo's AsyncCollection for the subset repositories use."""

    def __init__(self, collection: Any, journal: Journal | None) -> None:
        self._c = collection
        self._journal = journal
        # Every read runs inside _reading() and every write inside _writing(), with no await in between.
        self._reading, self._writing = _guards(journal)

    @property
    def name(self) -> str:
        return str(self._c.name)

    def _log(
        self, method: str, args: list[Any], kwargs: dict[str, Any] | None = None, failed: bool = False
    ) -> None:
        if self._journal is not None:
            record: Document = {"c": self.name, "m": method, "a": args, "k": kwargs or {}}
            if failed:
                record["failed"] = True
            self._journal.append(record)

    def apply(self, method: str, args: list[Any], kwargs: dict[str, Any], *, failed: bool = False) -> None:
        """Replay one journaled call (index and sort specs come back from JSON as lists)."""
        if method in ("insert_one", "insert_many") and not failed:
            # Most of a journal, and what a bulk load is made of: the documents decoded from the line go
            # in with one copy, not mongomock's three (checked, made naive, shared).
            self._c._store.put_back(args[0] if method == "insert_many" else args[:1])
            return
        if method == "create_index":
            self._create_index(index_list(args[0]), kwargs)
            return
        if kwargs.get("sort") is not None:
            kwargs = {**kwargs, "sort": sort_list(kwargs["sort"])}
        getattr(self._c, method)(*args, **kwargs)

    # Reads

    def find(
        self,
        filter: Mapping[str, Any] | None = None,
        projection: Any = None,
        *,
        skip: int = 0,
        limit: int = 0,
        sort: Any = None,
    ) -> MemoryCursor:
        sort = sort_list(sort)
        query = self._c.find(filter, projection, skip=skip, limit=limit)  # runs on its first fetch
        if sort is not None:
            query.sort(sort)

        def fetch() -> list[Document]:
            with self._reading():
                return list(query)

        return MemoryCursor(fetch, query)

    async def find_one(
        self, filter: Any = None, projection: Any = None, *, skip: int = 0, sort: Any = None
    ) -> Document | None:
        if filter is not None and not isinstance(filter, Mapping):
            filter = {"_id": filter}  # PyMongo takes a bare value as an _id
        return next(iter(self.find(filter, projection, skip=skip, limit=1, sort=sort)._rows()), None)

    async def count_documents(self, filter: Mapping[str, Any], *, skip: int = 0, limit: int = 0) -> int:
        options = {"skip": skip} | ({"limit": limit} if limit else {})
        with self._reading():
            return int(self._c.count_documents(filter, **options))

    async def distinct(self, key: str, filter: Mapping[str, Any] | None = None) -> list[Any]:
        with self._reading():
            # Copies: a subdocument held is shared by every document equal in it (memory_sharing).
            return [deep_copy(value) for value in self._c.distinct(key, filter)]

    async def aggregate(self, pipeline: Sequence[Mapping[str, Any]]) -> MemoryCursor:
        if any("$out" in stage or "$merge" in stage for stage in pipeline):
            raise NotImplementedError("$out and $merge would write around the journal")
        stages = list(pipeline)
        with self._reading():
            if all(set(stage) <= _READING_STAGES for stage in stages):
                rows = self._aggregate_stored(stages)
            elif stages and set(stages[0]) == {"$match"}:
                # mongomock starts every pipeline from the whole collection: a first $match is a find,
                # which the indexes narrow.
                matched = list(self._c.find(stages[0]["$match"]))
                rows = list(_process_pipeline(matched, self._c.database, stages[1:], None))
            else:
                rows = list(self._c.aggregate(stages))
        return MemoryCursor(lambda: rows)

    def _aggregate_stored(self, stages: list[Mapping[str, Any]]) -> list[Document]:
        """A pipeline of stages that only read their input, run on the stored documents themselves.

        mongomock hands a pipeline a copy of every document it starts from: a count per status over
        100,000 read-model documents held a second, unshared copy of all of them at once (the query
        service's memory peak). These stages make new rows and never change their input, so they are
        given the stored documents, narrowed by the indexes when the first stage is a $match; the rows
        are copied on the way out instead (as a find answers them: datetimes aware, in UTC), since $first
        or $push may hand on a stored value."""
        starts_with_match = bool(stages) and set(stages[0]) == {"$match"}
        first, rest = (stages[0]["$match"], stages[1:]) if starts_with_match else ({}, stages)
        stored = list(self._c._iter_documents(as_stored(first)))
        return [as_answered(row) for row in _process_pipeline(stored, self._c.database, rest, None)]

    def documents_examined(self, filter: Mapping[str, Any]) -> int:
        """How many documents a find with this filter tests, as MongoDB's explain() says docsExamined."""
        with self._reading():
            found = self._c._store.candidates(filter)
            return len(found) if found is not None else len(self._c._store)

    async def index_information(self) -> dict[str, Any]:
        with self._reading():
            return dict(self._c.index_information())

    # Writes: each is journaled only once it has changed something, before the journal's lock is let go.

    async def insert_one(self, document: Document) -> InsertOneResult:
        document.setdefault("_id", ObjectId())  # like PyMongo, and so that a replay makes the same _id
        with self._writing():
            self._c.insert_one(document)
            self._log("insert_one", [document])
        return InsertOneResult(document["_id"], acknowledged=True)

    async def insert_many(self, documents: Iterable[Document], ordered: bool = True) -> InsertManyResult:
        documents = list(documents)
        for document in documents:
            document.setdefault("_id", ObjectId())
        with self._writing():
            try:
                self._c.insert_many(documents, ordered=ordered)
            except PyMongoError:
                # Some documents may have gone in; replaying the same call puts in the same ones.
                self._log("insert_many", [documents], {"ordered": ordered}, failed=True)
                raise
            self._log("insert_many", [documents], {"ordered": ordered})
        return InsertManyResult([document["_id"] for document in documents], acknowledged=True)

    def _log_update(self, method: str, result: UpdateResult, args: list[Any]) -> UpdateResult:
        if result.upserted_id is not None:
            # A replayed upsert would mint another ObjectId: journal the document it created instead.
            self._log("insert_one", [self._c.find_one({"_id": result.upserted_id})])
        elif result.modified_count:
            self._log(method, args)
        return result

    async def update_one(
        self, filter: Mapping[str, Any], update: Mapping[str, Any], upsert: bool = False
    ) -> UpdateResult:
        with self._writing():
            return self._log_update(
                "update_one", self._c.update_one(filter, update, upsert=upsert), [filter, update]
            )

    async def update_many(
        self, filter: Mapping[str, Any], update: Mapping[str, Any], upsert: bool = False
    ) -> UpdateResult:
        with self._writing():
            try:
                result = self._c.update_many(filter, update, upsert=upsert)
            except PyMongoError:
                self._log("update_many", [filter, update], failed=True)  # it may have stopped half-way
                raise
            return self._log_update("update_many", result, [filter, update])

    async def replace_one(
        self, filter: Mapping[str, Any], replacement: Mapping[str, Any], upsert: bool = False
    ) -> UpdateResult:
        with self._writing():
            result = self._c.replace_one(filter, replacement, upsert=upsert)
            return self._log_update("replace_one", result, [filter, replacement])

    async def find_one_and_update(
        self,
        filter: Mapping[str, Any],
        update: Mapping[str, Any],
        projection: Any = None,
        sort: Any = None,
        upsert: bool = False,
        return_document: bool = ReturnDocument.BEFORE,
    ) -> Document | None:
        sort = sort_list(sort)
        with self._writing():
            if upsert and self._c.find_one(filter, {"_id": 1}) is None:
                created = self._c.find_one_and_update(
                    filter, update, upsert=True, return_document=ReturnDocument.AFTER
                )
                self._log("insert_one", [created])  # as in _log_update: keep the _id it was given
                if return_document == ReturnDocument.BEFORE:
                    return None
                return next(iter(self._c.find({"_id": created["_id"]}, projection)), None)
            found = self._c.find_one_and_update(
                filter, update, projection, sort=sort, return_document=return_document
            )
            if found is not None:
                self._log("find_one_and_update", [filter, update], {"sort": sort})
        return dict(found) if found is not None else None

    async def delete_one(self, filter: Mapping[str, Any]) -> DeleteResult:
        with self._writing():
            result: DeleteResult = self._c.delete_one(filter)
            if result.deleted_count:
                self._log("delete_one", [filter])
        return result

    async def delete_many(self, filter: Mapping[str, Any]) -> DeleteResult:
        with self._writing():
            result: DeleteResult = self._c.delete_many(filter)
            if result.deleted_count:
                self._log("delete_many", [filter])
        return result

    async def create_index(self, keys: Any, **kwargs: Any) -> str:
        """Create an index; options: name, unique, sparse, partialFilterExpression, expireAfterSeconds."""
        keys = index_list(keys)
        with self._writing():
            name = self._create_index(keys, kwargs)
            self._log("create_index", [keys], kwargs)
        return name

    def _create_index(self, keys: list[tuple[str, Any]], options: dict[str, Any]) -> str:
        # Where mongomock 4.3 parts from MongoDB: its sparse unique index lets several explicit nulls
        # through (MongoDB indexes them), and it checks the documents already there against a new
        # partial unique index ignoring the partial filter, so that re-creating the index at start-up
        # fails. Such indexes are checked here and registered in mongomock's index table directly.
        options = dict(options)
        if not (options.get("unique") and (options.get("sparse") or options.get("partialFilterExpression"))):
            return str(self._c.create_index(keys, **options))
        if options.pop("sparse", False):
            options["partialFilterExpression"] = {"$or": [{key: {"$exists": True}} for key, _ in keys]}
        name: str = options.pop("name", None) or _gen_index_name(keys)
        spec = {"key": keys, **options}
        existing = self._c._store.indexes.get(name)
        if existing is not None and existing != spec:
            raise OperationFailure(f"Index with name: {name} already exists with different options", 85)
        seen = set()
        for document in self._c.find(spec["partialFilterExpression"]):
            entry = tuple(repr(_value_at(document, field)) for field, _ in keys)
            if entry in seen:
                raise DuplicateKeyError(f"E11000 duplicate key error index: {name} dup key: {entry}", 11000)
            seen.add(entry)
        self._c._store.create_index(name, spec)
        return name

    async def create_indexes(self, indexes: Sequence[IndexModel]) -> list[str]:
        names = []
        for index in indexes:
            options = dict(index.document)
            names.append(await self.create_index(list(options.pop("key").items()), **options))
        return names

    async def drop(self) -> None:
        with self._writing():
            self._c.drop()
            self._log("drop", [])


class MemoryDatabase:
    """One service's database in memory; hands out collections as `db["name"]` or `db.name`."""

    def __init__(self, name: str, journal_path: Path | None = None, *, compact_bytes: int = COMPACT_BYTES) -> None:
        self.name = name
        self._db: Any = mongomock.MongoClient(tz_aware=True)[name]
        self._collections: dict[str, MemoryCollection] = {}
        self._journal = None
        if journal_path is not None:
            self._journal = Journal(journal_path, self._replay, dump=self._dump, load=self._load,
                                    compact_bytes=compact_bytes)
            try:
                self._journal.catch_up()
                # A journal left long (appended to by a process that keeps no state, or cut short by a
                # crash) is compacted now, so that the next start is quick.
                self._journal.compact(at_least=compact_bytes)
            except BaseException:
                self._journal.close()
                raise
        self._reading, _ = _guards(self._journal)

    def __getitem__(self, name: str) -> MemoryCollection:
        if name not in self._collections:
            self._collections[name] = MemoryCollection(indexed_collection(self._db, name), self._journal)
        return self._collections[name]

    def __getattr__(self, name: str) -> MemoryCollection:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    async def list_collection_names(self) -> list[str]:
        with self._reading():
            return list(self._db.list_collection_names())

    async def drop_collection(self, name_or_collection: str | MemoryCollection) -> None:
        name = name_or_collection if isinstance(name_or_collection, str) else name_or_collection.name
        await self[name].drop()

    def compact_journal(self, *, at_least: int = 0) -> bool:
        """Snapshot the data and start the journal afresh from there, if more than `at_least` bytes were
        journaled since the last snapshot (the journal does it by itself past its `compact_bytes`)."""
        return self._journal is not None and self._journal.compact(at_least=at_least)

    def close_journal(self) -> None:
        """Let go of the journal's files (MemoryStore.close() does, compacting the journal first when
        it has grown by a megabyte or more); the data stays in memory."""
        if self._journal is not None:
            try:
                self.compact_journal(at_least=CLOSE_COMPACT_BYTES)
            finally:
                self._journal.close()

    def _tables(self) -> dict[str, IndexedStore]:
        for name in list(self._db._store._collections):
            self[name]  # every table an IndexedStore, with its MemoryCollection
        return cast(dict[str, IndexedStore], self._db._store._collections)

    def _dump(self, file: BinaryIO) -> None:
        tables = self._tables()
        write_tables(((name, *table.contents()) for name, table in tables.items() if table.is_created), file)

    def _load(self, snapshot: Path) -> None:
        """Replace every collection with the snapshot's (a compaction elsewhere that this process missed)."""
        for table in self._tables().values():
            table.drop()
        for name, indexes, documents in read_tables(snapshot):
            self[name]
            self._tables()[name].load(indexes, documents)

    def _replay(self, record: Document) -> None:
        """Apply one journaled call, this process's own from an earlier run or another process's."""
        try:
            self[record["c"]].apply(record["m"], record["a"], record["k"], failed=bool(record.get("failed")))
        except PyMongoError:
            # A call journaled as failed fails again at the same point, leaving the same partial effect.
            if not record.get("failed"):
                raise


class MemoryStore:
    """The DocumentStore of the embedded run: a MemoryDatabase, journaled to a file when given one (which
    other processes may share)."""

    def __init__(self, database_name: str, journal_path: str | Path | None = None, *,
                 compact_bytes: int = COMPACT_BYTES) -> None:
        self._db = MemoryDatabase(database_name, Path(journal_path) if journal_path is not None else None,
                                  compact_bytes=compact_bytes)

    @property
    def db(self) -> Database:
        # The engine speaks the subset of PyMongo's API the repositories use, under PyMongo's type.
        return cast(Database, self._db)

    @property
    def memory(self) -> MemoryDatabase:
        """The engine itself, for the journal's and the tests' own calls."""
        return self._db

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        self._db.close_journal()

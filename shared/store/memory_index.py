"""The in-memory engine's indexes: hash maps on the fields of the indexes the repositories declare.

mongomock alone tests every document of a collection for every operation, and checks each unique index
by a scan after every write. Here each collection's table keeps, beside its documents (by `_id`, as
mongomock does):

- a map per field that leads a declared index, from the field's value to the documents holding it, so
  that a filter with an equality (`{"f": v}`, `{"f": {"$eq": v, ...}}`, `{"f": {"$in": [...]}}`) on such a
  field, or on `_id` (at the top, under `$and`, or in every branch of an `$or`), tests only the documents
  that can match;
- a map per unique index, from the whole key to the one document holding it, which is how a duplicate is
  refused without a scan.

The maps only choose which documents mongomock's own matcher is given, a superset of the answer, so
what matches is still decided by mongomock, exactly as before. A value a hash cannot stand for (an
array, a subdocument, a path through an array) puts its document among the "always tested" ones of
that map. A missing field counts as null, as in MongoDB's indexes. Documents come out in the order they
went in, as a scan gives them.
"""

import itertools
import re
import time
from collections.abc import Hashable, Iterable, Iterator, Mapping
from typing import Any

import mongomock
import mongomock.filtering
import mongomock.helpers
import mongomock.store
from bson.regex import Regex
from pymongo.errors import DuplicateKeyError

from shared.store import mongomock_speedups
from shared.store.memory_maps import (
    OUTSIDE,
    WILD,
    Document,
    FieldMap,
    UniqueMap,
    duplicate,
    filter_applies,
    normalized,
)
from shared.store.memory_sharing import own_containers, share_in_place, shared, stored

mongomock_speedups.install()

TTL_SECONDS = 1.0  # how often documents past a TTL index's expiry are looked for

# mongomock is unannotated: its parts are given their types (Any) once, here.
_get_value_by_dot: Any = mongomock.helpers.get_value_by_dot
_hashdict: Any = mongomock.helpers.hashdict
_Table: Any = mongomock.store.CollectionStore
_Collection: Any = mongomock.Collection


class IndexedStore(_Table):  # type: ignore[misc]  # mongomock is unannotated
    """mongomock's table of one collection's documents, with the maps of its declared indexes kept in
    step: by every put and delete of a document here, and by `reindexed()` after an update in place."""

    def __init__(self, name: str) -> None:
        _Table.__init__(self, name)
        self._maps: list[FieldMap | UniqueMap] = []
        self._fields: dict[str, FieldMap] = {}
        self._entries: dict[Hashable, tuple[Any, ...]] = {}  # _id -> (order, then its key in each map)
        self._documents: dict[Hashable, Document] = {}  # (mongomock's is an OrderedDict: 50 % more per entry)
        self._order = itertools.count()
        self._expired_at = -TTL_SECONDS  # when expired documents were last removed

    # The table, as mongomock uses it

    def __setitem__(self, key: Hashable, document: Document) -> None:
        document = shared(document)  # a new document (or a rolled back one) is mongomock's own copy
        _Table.__setitem__(self, key, document)
        self._index(key, document)

    def __delitem__(self, key: Hashable) -> None:
        _Table.__delitem__(self, key)
        self._unindex(key)

    def drop(self) -> None:
        _Table.drop(self)
        self._documents = {}
        self._rebuild()

    def create_index(self, index_name: str, index_dict: Document) -> None:
        changed = self.indexes.get(index_name) != index_dict  # every start repeats them: no rebuild then
        _Table.create_index(self, index_name, index_dict)
        if changed:
            self._rebuild()

    def drop_index(self, index_name: str) -> None:
        _Table.drop_index(self, index_name)
        self._rebuild()

    def load(self, indexes: Mapping[str, Document], documents: Iterable[Document]) -> None:
        """Hold exactly a snapshot's indexes and documents."""
        _Table.drop(self)
        self._documents = {}
        for name, spec in indexes.items():
            _Table.create_index(self, name, spec)
        for document in documents:
            self._documents[_table_key(document["_id"])] = shared(document)
        self._entries = {}
        self._rebuild()

    def put_back(self, documents: Iterable[Document]) -> None:
        """Insert the documents of a journaled insert that succeeded, replayed: each copied once into
        its stored form, and checked against `_id` and the unique indexes as an insert is, but not
        validated again (mongomock's field-name checks and trial BSON encoding passed when it was made)."""
        for document in documents:
            doc_id = _table_key(document["_id"])
            if doc_id is None or doc_id in self._documents:
                raise DuplicateKeyError("E11000 Duplicate Key Error", 11000)
            held = stored(document)
            keys = self._keys(held)
            for index, key in zip(self._maps, keys, strict=True):
                if isinstance(index, UniqueMap):
                    self._check_unique(index, key, doc_id, held)
            _Table.__setitem__(self, doc_id, held)
            self._put_entry(doc_id, keys)

    def contents(self) -> tuple[dict[str, Document], list[Document]]:
        """The indexes and the documents as they are held, for a snapshot."""
        return dict(self.indexes), list(self._documents.values())

    def _remove_expired_documents(self) -> None:
        # mongomock looks at every document of a collection with a TTL index at each access, which makes
        # every read of it a scan. MongoDB's own TTL monitor runs once a minute; once a second is sooner.
        if self._ttl_indexes and time.monotonic() - self._expired_at >= TTL_SECONDS:
            self._expired_at = time.monotonic()
            _Table._remove_expired_documents(self)

    # What the collection asks

    def reindexed(self, document: Document) -> None:
        """Take in the new keys of a document changed in place, or raise DuplicateKeyError and change
        nothing when a unique index already holds one of them for another document."""
        doc_id = _table_key(document["_id"])
        keys = self._keys(document)
        for index, key in zip(self._maps, keys, strict=True):
            if isinstance(index, UniqueMap):
                self._check_unique(index, key, doc_id, document)
        if self._documents.get(doc_id) is document:
            share_in_place(document)  # changed in place: its new values are the caller's own copies
        self._unindex(doc_id)
        self._put_entry(doc_id, keys)

    def candidates(self, query: Mapping[str, Any]) -> list[Document] | None:
        """The documents that may match `query`, in the order they went in; None: every one may."""
        ids = self._narrowed(query)
        if ids is None:
            return None
        self._remove_expired_documents()
        found = [doc_id for doc_id in ids if doc_id in self._entries]
        if len(found) > 1:
            found.sort(key=lambda doc_id: self._entries[doc_id][0])
        return [self._documents[doc_id] for doc_id in found]

    # Keeping the maps

    def _keys(self, document: Document) -> tuple[Any, ...]:
        return tuple(index.key_of(document) for index in self._maps)

    def _index(self, doc_id: Hashable, document: Document) -> None:
        order = self._entries[doc_id][0] if doc_id in self._entries else None
        self._unindex(doc_id)
        self._put_entry(doc_id, self._keys(document), order)

    def _put_entry(self, doc_id: Hashable, keys: tuple[Any, ...], order: int | None = None) -> None:
        for index, key in zip(self._maps, keys, strict=True):
            index.add(doc_id, key)
        if order is None:
            order = self._entries[doc_id][0] if doc_id in self._entries else next(self._order)
        self._entries[doc_id] = (order, *keys)  # one tuple: 100,000 of them

    def _unindex(self, doc_id: Hashable) -> None:
        entry = self._entries.get(doc_id)
        if entry is None:
            return
        for index, key in zip(self._maps, entry[1:], strict=True):
            index.remove(doc_id, key)
        if doc_id not in self._documents:
            del self._entries[doc_id]

    def _rebuild(self) -> None:
        self._fields = {}
        self._maps = []
        for name, spec in self.indexes.items():
            if spec.get("unique"):
                self._maps.append(UniqueMap(name, spec))
            first = spec["key"][0][0]
            if first not in self._fields and first != "_id":
                self._fields[first] = FieldMap(first)
                self._maps.append(self._fields[first])
        orders = {doc_id: entry[0] for doc_id, entry in self._entries.items()}
        self._entries = {}
        for doc_id, document in self._documents.items():
            self._put_entry(doc_id, self._keys(document), orders.get(doc_id))

    def _check_unique(self, index: UniqueMap, key: Any, doc_id: Hashable, document: Document) -> None:
        if key is OUTSIDE:
            return
        if key is WILD or index.wild - {doc_id}:
            # An array in the key (or in another document's): MongoDB's multikey rules, left to mongomock.
            self._check_by_matching(index, document, doc_id)
            return
        holder = index.holder(key)
        if holder is not None and holder != doc_id:
            raise duplicate(index.name, key)

    def _check_by_matching(self, index: UniqueMap, document: Document, doc_id: Hashable) -> None:
        spec = self.indexes[index.name]
        query: Any = {field: _value_or_none(document, field) for field in index.fields}
        if spec.get("partialFilterExpression") is not None:
            query = {"$and": [spec["partialFilterExpression"], query]}
        for other_id, other in self._documents.items():
            if other_id != doc_id and index.key_of(other) is not OUTSIDE and filter_applies(query, other):
                raise duplicate(index.name, query)

    # Choosing the documents a query may match

    def _narrowed(self, query: Mapping[str, Any]) -> set[Hashable] | None:
        chosen: set[Hashable] | None = None
        for ids in self._lookups(query):
            chosen = ids if chosen is None else chosen & ids  # (a new set: the maps' own stay as they are)
            if not chosen:
                break
        return chosen

    def _lookups(self, query: Mapping[str, Any]) -> Iterator[set[Hashable]]:
        for field, condition in query.items():
            if field == "$and" and isinstance(condition, list):
                for clause in condition:
                    if isinstance(clause, Mapping) and (ids := self._narrowed(clause)) is not None:
                        yield ids
                continue
            if field == "$or" and isinstance(condition, list):
                if (ids := self._either(condition)) is not None:
                    yield ids
                continue
            keys = _equal_to(condition)
            if keys is None:
                continue
            if field == "_id":
                yield {key for value in keys if (key := _table_key(value)) is not None and key in self._documents}
            elif field in self._fields:
                if len(keys) == 1:
                    yield self._fields[field].ids(keys[0])
                    continue
                found: set[Hashable] = set()
                for key in keys:
                    found |= self._fields[field].ids(key)
                yield found


    def _either(self, clauses: list[Any]) -> set[Hashable] | None:
        """What an `$or` may match: every branch's candidates, unless one branch needs a scan."""
        found: set[Hashable] = set()
        for clause in clauses:
            ids = self._narrowed(clause) if isinstance(clause, Mapping) else None
            if ids is None:
                return None
            found |= ids
        return found


def _equal_to(condition: Any) -> list[Any] | None:
    """The keys a field's condition requires it to equal one of, or None when it says no such thing."""
    if isinstance(condition, Mapping):
        if not condition or not all(isinstance(operator, str) and operator.startswith("$") for operator in condition):
            return None  # {} or a whole subdocument to equal
        if "$eq" in condition:
            return _equal_to(condition["$eq"]) if not isinstance(condition["$eq"], Mapping) else None
        if "$in" in condition and isinstance(condition["$in"], list | tuple):
            keys = [_plain_key(value) for value in condition["$in"]]
            return None if any(key is WILD for key in keys) else keys
        return None
    key = _plain_key(condition)
    return None if key is WILD else [key]


def _plain_key(value: Any) -> Any:
    if isinstance(value, re.Pattern | Regex | list | tuple | Mapping):
        return WILD  # a pattern or an array matches by other rules than equality
    return normalized(value)


def _table_key(value: Any) -> Hashable | None:
    """How mongomock's table holds an `_id` (a subdocument as its hashdict); None if it holds none such."""
    if isinstance(value, dict):
        return _hashdict(value)  # type: ignore[no-any-return]
    try:
        hash(value)
    except TypeError:
        return None
    return value  # type: ignore[no-any-return]


def _value_or_none(document: Document, path: str) -> Any:
    try:
        return _get_value_by_dot(document, path)
    except KeyError:
        return None


class IndexedCollection(_Collection):  # type: ignore[misc]  # mongomock is unannotated
    """mongomock's collection on an IndexedStore: its scans narrowed by the maps, its unique indexes
    checked by them."""

    _updating = False

    def _update(self, *args: Any, **kwargs: Any) -> Any:
        # Every change in place (update, replace, find-and-modify) is made here, on the documents
        # `_iter_documents` hands it: those get containers of their own first (memory_sharing says why).
        self._updating = True
        try:
            return _Collection._update(self, *args, **kwargs)
        finally:
            self._updating = False

    def _iter_documents(self, filter: Mapping[str, Any]) -> Iterator[Document]:
        found: list[Document] | None = self._store.candidates(filter)
        if found is None:
            matching: Iterator[Document] = _Collection._iter_documents(self, filter)
        else:
            if not found:
                filter_applies(filter, {})  # a malformed filter fails even when nothing could match
            matching = (document for document in found if filter_applies(filter, document))
        return (own_containers(document) for document in matching) if self._updating else matching

    def _ensure_uniques(self, new_data: Document) -> None:
        # mongomock calls this after each insert and each change in place: the maps follow the document.
        self._store.reindexed(new_data)


def indexed_collection(database: Any, name: str) -> IndexedCollection:
    """`database[name]` (a mongomock database) on an IndexedStore, which it keeps from then on."""
    tables = database._store._collections
    table = tables.get(name)
    if not isinstance(table, IndexedStore):
        indexed = tables[name] = IndexedStore(name)
        if table is not None:  # made by mongomock itself meanwhile: taken over, documents and all
            indexed.load(table.indexes, list(table._documents.values()))
    collection = IndexedCollection(database, name, _db_store=database._store,
                                   read_preference=database.read_preference,
                                   codec_options=database.codec_options)
    database._collection_accesses[name] = collection
    return collection

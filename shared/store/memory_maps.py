"""The in-memory engine's hash maps, one per declared index (see shared/store/memory_index.py): the key
MongoDB's equality agrees with, and the maps from keys to the documents holding them."""

from collections.abc import Hashable, Mapping
from datetime import datetime
from typing import Any

import mongomock.filtering
import mongomock.helpers
from bson import ObjectId
from pymongo.errors import DuplicateKeyError

Document = dict[str, Any]

WILD = object()  # a value no hash stands for: its document is tested whatever the filter asks
OUTSIDE = object()  # a document a partial or sparse unique index leaves out

# mongomock is unannotated: its parts are given their types (Any) once, here.
filter_applies: Any = mongomock.filtering.filter_applies
_get_value_by_dot: Any = mongomock.helpers.get_value_by_dot


def normalized(value: Any) -> Any:
    """The hash-map key MongoDB's equality agrees with: 1 and 1.0 alike, True apart from 1, a datetime
    as stored (naive UTC, to the millisecond); WILD for what a hash cannot stand for."""
    if value is None or isinstance(value, str | ObjectId):
        return value
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if value == value else WILD  # NaN equals nothing in Python, itself in MongoDB
    if isinstance(value, datetime):
        if value.tzinfo is None and value.microsecond % 1000 == 0:
            return value  # as stored already (every stored one is): the document's own, not a copy
        return mongomock.helpers.patch_datetime_awareness_in_document(value)  # type: ignore[no-untyped-call]
    return WILD


def value_key(document: Mapping[str, Any], path: str) -> Any:
    """The key of `document` at a dotted path: None when missing, WILD through or at an array."""
    value: Any = document
    for part in path.split("."):
        if isinstance(value, list):
            return WILD
        if not isinstance(value, Mapping):
            return None  # a scalar has no fields: the path is missing
        if part not in value:
            return None
        value = value[part]
    return normalized(value)


class FieldMap:
    """The documents by the value of one field (the first of a declared index)."""

    def __init__(self, field: str) -> None:
        self.field = field
        self._ids: dict[Hashable, Any] = {}  # key -> the one _id holding it, or a set of them
        self.wild: set[Hashable] = set()

    def key_of(self, document: Document) -> Any:
        return value_key(document, self.field)

    def add(self, doc_id: Hashable, key: Any) -> None:
        if key is WILD:
            self.wild.add(doc_id)
            return
        held = self._ids.get(key, OUTSIDE)
        if held is OUTSIDE:
            self._ids[key] = doc_id  # most keys are held by one document: no set for it
        elif isinstance(held, set):
            held.add(doc_id)
        elif held != doc_id:
            self._ids[key] = {held, doc_id}

    def remove(self, doc_id: Hashable, key: Any) -> None:
        if key is WILD:
            self.wild.discard(doc_id)
            return
        held = self._ids.get(key, OUTSIDE)
        if isinstance(held, set):
            held.discard(doc_id)
            if len(held) == 1:
                self._ids[key] = next(iter(held))
        elif held is not OUTSIDE and held == doc_id:
            del self._ids[key]

    def ids(self, key: Any) -> set[Hashable]:
        """The documents that may hold `key`: the map's own set when it can (never to be changed), so that
        intersecting a large bucket with a small one costs the small one's size."""
        held = self._ids.get(key, OUTSIDE)
        found = held if isinstance(held, set) else set() if held is OUTSIDE else {held}
        return found | self.wild if self.wild else found


class UniqueMap:
    """One unique index: its whole key to the document holding it (documents it leaves out: OUTSIDE)."""

    def __init__(self, name: str, spec: Mapping[str, Any]) -> None:
        self.name = name
        self.fields = [field for field, _ in spec["key"]]
        self._sparse = bool(spec.get("sparse"))
        self._partial = spec.get("partialFilterExpression")
        self._ids: dict[tuple[Any, ...], Hashable] = {}
        self.wild: set[Hashable] = set()

    def key_of(self, document: Document) -> Any:
        if self._partial is not None and not filter_applies(self._partial, document):
            return OUTSIDE
        if self._sparse and all(_missing(document, field) for field in self.fields):
            return OUTSIDE
        key = tuple(value_key(document, field) for field in self.fields)
        return WILD if any(part is WILD for part in key) else key

    def add(self, doc_id: Hashable, key: Any) -> None:
        if key is WILD:
            self.wild.add(doc_id)
        elif key is not OUTSIDE:
            # Never taken from another holder: the check that follows every put refuses the newcomer.
            self._ids.setdefault(key, doc_id)

    def remove(self, doc_id: Hashable, key: Any) -> None:
        if key is WILD:
            self.wild.discard(doc_id)
        elif key is not OUTSIDE and self._ids.get(key) == doc_id:
            del self._ids[key]

    def holder(self, key: Any) -> Hashable | None:
        return self._ids.get(key)


def _missing(document: Document, path: str) -> bool:
    try:
        _get_value_by_dot(document, path)
    except KeyError:
        return True
    return False


def duplicate(index: str, key: Any) -> DuplicateKeyError:
    return DuplicateKeyError(f"E11000 duplicate key error index: {index} dup key: {key!r}", 11000)

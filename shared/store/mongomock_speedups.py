"""Three of mongomock's inner helpers, made cheap; the engine installs them once, on import.

mongomock 4.3 re-parses version strings ("3.6", "4.0") with `packaging` on every insert and for every
field an update sets; deep-copies documents with `copy.deepcopy` (a memo and a reducer lookup for every
string and number); and rebuilds each document, filter and update through a chain of `isinstance`
tests to bring its datetimes to MongoDB's precision. For the trees of dicts, lists and scalars documents
are, the versions here give the same results in a fraction of the time, and hand anything else to the
originals. The store contract suite (tests/contract/test_store.py) runs on them.
"""

import copy
import functools
import types
from datetime import datetime
from typing import Any

import mongomock.collection
import mongomock.helpers
from bson import ObjectId
from packaging import version

# Exact types only: a subclass may carry state of its own, and goes to the original helper.
_SCALARS = frozenset({str, int, float, bool, type(None), ObjectId, bytes})
_IMMUTABLE = _SCALARS | {datetime}

_original_as_stored: Any = mongomock.helpers.patch_datetime_awareness_in_document


def deep_copy(value: Any, memo: dict[int, Any] | None = None) -> Any:
    kind = type(value)
    if kind is dict:
        return {key: deep_copy(item) for key, item in value.items()}
    if kind is list:
        return [deep_copy(item) for item in value]
    if kind in _IMMUTABLE:
        return value
    return copy.deepcopy(value, memo)


def as_stored(value: Any) -> Any:
    """mongomock's `patch_datetime_awareness_in_document`: a copy with every datetime naive in UTC, to
    the millisecond."""
    kind = type(value)
    if kind is dict:
        return {key: as_stored(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [as_stored(item) for item in value]
    if kind in _SCALARS:
        return value
    return _original_as_stored(value)  # datetimes, OrderedDicts, timestamps: the original's own rules


def install() -> None:
    collection: Any = mongomock.collection  # the module's own names, which it looks up at each call
    collection.copy = types.SimpleNamespace(deepcopy=deep_copy, copy=copy.copy)
    collection.version = types.SimpleNamespace(parse=functools.cache(version.parse))
    mongomock.helpers.patch_datetime_awareness_in_document = as_stored

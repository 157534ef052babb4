"""Five of mongomock's inner helpers, made cheap; the engine installs them once, on import.

mongomock 4.3 re-parses version strings ("3.6", "4.0") with `packaging` on every insert and for every
field an update sets; deep-copies documents with `copy.deepcopy` (a memo and a reducer lookup for every
string and number); rebuilds each document, filter and update through a chain of `isinstance` tests to
bring its datetimes to MongoDB's precision; and copies every document a find answers twice, first through
`_copy_field` (`copy.copy` of every string and number), then to make its datetimes aware. For the trees
of dicts, lists and scalars documents are, the versions here give the same results in a fraction of the
time, and hand anything else to the originals. The store contract suite (tests/contract/test_store.py)
runs on them.
"""

import copy
import functools
import types
from datetime import datetime
from typing import Any

import mongomock.collection
import mongomock.helpers
from bson import ObjectId
from bson.tz_util import utc as UTC_OF_ANSWERS  # the tzinfo mongomock's own answers carry (PyMongo's too)
from packaging import version

# Exact types only: a subclass may carry state of its own, and goes to the original helper.
_SCALARS = frozenset({str, int, float, bool, type(None), ObjectId, bytes})
_IMMUTABLE = _SCALARS | {datetime}

_original_as_stored: Any = mongomock.helpers.patch_datetime_awareness_in_document
_original_as_answered: Any = mongomock.helpers.make_datetime_timezone_aware_in_document
_original_copy_field: Any = mongomock.collection._copy_field


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


def as_answered(value: Any) -> Any:
    """mongomock's `make_datetime_timezone_aware_in_document`: a copy with every (stored, naive) datetime
    made aware in UTC, as a find answers it."""
    kind = type(value)
    if kind is dict:
        return {key: as_answered(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [as_answered(item) for item in value]
    if kind is datetime:
        return value.replace(tzinfo=UTC_OF_ANSWERS)
    if kind in _SCALARS:
        return value
    return _original_as_answered(value)


def copy_field(value: Any, container: Any) -> Any:
    """mongomock's `_copy_field`: a copy of a stored value, its subdocuments made by `container`."""
    kind = type(value)
    if kind is dict and container is dict:
        return {key: copy_field(item, container) for key, item in value.items()}
    if kind is list:
        return [copy_field(item, container) for item in value]
    if kind in _IMMUTABLE:
        return value  # what copy.copy answers of an immutable value, or one equal to it
    return _original_copy_field(value, container)


def install() -> None:
    collection: Any = mongomock.collection  # the module's own names, which it looks up at each call
    collection.copy = types.SimpleNamespace(deepcopy=deep_copy, copy=copy.copy)
    collection.version = types.SimpleNamespace(parse=functools.cache(version.parse))
    mongomock.helpers.patch_datetime_awareness_in_document = as_stored
    mongomock.helpers.make_datetime_timezone_aware_in_document = as_answered
    collection._copy_field = copy_field

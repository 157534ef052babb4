"""Documents as the in-memory engine holds them: every string interned, equal datetimes shared.

A document fresh from a decoder (the journal's JSON, a snapshot's BSON, a caller's dict) carries its own
copy of every key and string: "status", "history", "citizen", the procedure's name, the owner's id are
made again for each of 100,000 dossiers, and they are most of what a read-model document weighs
(8.3 KB on average in the bench's read model, 3.3 KB shared). Strings and datetimes are immutable, so
sharing them is invisible to the code that reads the documents; lists and subdocuments are never
shared, since updates change them in place. `sys.intern` keeps a string only while something uses it.
"""

import sys
from datetime import datetime
from typing import Any

from bson import ObjectId

from shared.store.mongomock_speedups import as_stored

Document = dict[str, Any]

_PLAIN = frozenset({int, float, bool, type(None), ObjectId, bytes})  # held as they are


def shared(document: Document) -> Document:
    """A new document equal to `document`, made of shared strings and datetimes (its lists and
    subdocuments its own)."""
    datetimes: dict[datetime, datetime] = {}
    return {(sys.intern(key) if type(key) is str else key): _share(item, datetimes) for key, item in document.items()}


def share_in_place(document: Document) -> None:
    """The same for a document that others hold (one changed in place): its identity stays."""
    copy = shared(document)
    document.clear()
    document.update(copy)


def _share(value: Any, datetimes: dict[datetime, datetime]) -> Any:
    kind = type(value)  # exact types only: a subclass (an OrderedDict, a str enum) stays as it is
    if kind is str:
        return sys.intern(value)
    if kind is dict:
        return {(sys.intern(key) if type(key) is str else key): _share(item, datetimes) for key, item in value.items()}
    if kind is list:
        return [_share(item, datetimes) for item in value]
    if kind is datetime:
        return datetimes.setdefault(value, value)  # within one document: nothing is kept after it
    return value


def stored(document: Document) -> Document:
    """What the engine holds after inserting `document`, made in one copy: mongomock's stored form
    (datetimes naive in UTC, to the millisecond; tuples as lists) with shared strings and datetimes,
    as `shared(as_stored(document))` would make it in two."""
    datetimes: dict[datetime, datetime] = {}
    return {(sys.intern(key) if type(key) is str else key): _stored(item, datetimes) for key, item in document.items()}


def _stored(value: Any, datetimes: dict[datetime, datetime]) -> Any:
    kind = type(value)
    if kind is str:
        return sys.intern(value)
    if kind is dict:
        return {(sys.intern(key) if type(key) is str else key): _stored(item, datetimes) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [_stored(item, datetimes) for item in value]
    if kind is datetime:
        held = datetimes.get(value)
        if held is None:
            held = datetimes[value] = as_stored(value)
        return held
    if kind in _PLAIN:
        return value
    return as_stored(value)  # anything else by mongomock's own rules, as it is (not shared)

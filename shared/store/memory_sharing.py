"""Documents as the in-memory engine holds them: every string interned, equal datetimes shared, and
equal leaves shared across documents.

A document fresh from a decoder (the journal's JSON, a snapshot's BSON, a caller's dict) carries its own
copy of every key and string: "status", "history", "citizen", the procedure's name, the owner's id are
made again for each of 100,000 dossiers, and they are most of what a read-model document weighs
(8.3 KB on average in the bench's read model, 3.3 KB shared). Strings and datetimes are immutable, so
sharing them is invisible to the code that reads the documents. `sys.intern` keeps a string only while
something uses it.

Then the containers, three quarters of what is left: a history entry's actor (`{"kind": "citizen",
"id": ...}`, 184 bytes, the same in every entry a citizen made), the applicant, the form, and empty lists
(56 bytes each: every entry's `documents`, a dossier's `earlier_payments`). A leaf — a subdocument or a
list holding only strings, whole numbers, datetimes, nulls — is held once for all the documents equal to
it (`_Leaves`). Containers are changed in place by mongomock's updates, so the engine gives every document
an update is about to change containers of its own first (`own_containers`), and shares them again
after it (`share_in_place`); reads hand out copies, never what is held.
"""

import sys
from datetime import datetime
from typing import Any

from bson import ObjectId

from shared.store.mongomock_speedups import as_stored, deep_copy

Document = dict[str, Any]

_PLAIN = frozenset({int, float, bool, type(None), ObjectId, bytes})  # held as they are
# What a shared leaf may hold: values equal only to values of their own type (True == 1 == 1.0, so no
# booleans or floats: {"a": 1} and {"a": True} must stay two leaves).
_LEAF_VALUES = frozenset({str, int, type(None), datetime})
# Leaves no document holds any more are let go when the table has doubled since the last look.
_FIRST_SWEEP = 4096


class _Leaves:
    """One held copy of each distinct leaf, by its contents (keys and values in their order).

    Dicts and lists take no weak references, so the table holds its leaves strongly and, from time to
    time, lets go of those only it still holds (a reference count of the table's one, plus the call's).
    """

    def __init__(self) -> None:
        self._dicts: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._lists: dict[tuple[Any, ...], list[Any]] = {}
        self._sweep_at = _FIRST_SWEEP

    def dict_like(self, built: dict[str, Any]) -> dict[str, Any]:
        if len(built) > 8 or not _LEAF_VALUES.issuperset(map(type, built.values())):
            return built
        # Its keys, then its values: as many of each, so the tuple tells one leaf from every other.
        held = self._dicts.setdefault((*built, *built.values()), built)
        if held is built:
            self._grown()
        return held

    def list_like(self, built: list[Any]) -> list[Any]:
        if len(built) > 8 or not _LEAF_VALUES.issuperset(map(type, built)):
            return built
        held = self._lists.setdefault(tuple(built), built)
        if held is built:
            self._grown()
        return held

    def __len__(self) -> int:
        return len(self._dicts) + len(self._lists)

    def _grown(self) -> None:
        if len(self) >= self._sweep_at:
            self.sweep()
            self._sweep_at = max(_FIRST_SWEEP, 2 * len(self))

    def sweep(self) -> None:
        """Let go of the leaves no document holds."""
        for table in (self._dicts, self._lists):
            for key, references in _references(table):
                if references <= _ONLY_THE_TABLE:
                    del table[key]


def _references(table: dict[tuple[Any, ...], Any]) -> list[tuple[tuple[Any, ...], int]]:
    return [(key, sys.getrefcount(leaf)) for key, leaf in table.items()]


# What `_references` counts for a leaf that only its table holds (the table's, plus the loop's own,
# which depend on the interpreter): measured once on one.
_ONLY_THE_TABLE = _references({(): []})[0][1]
LEAVES = _Leaves()


def own_containers(document: Document) -> Document:
    """`document` itself, its subdocuments and lists made its own, so that an update in place changes
    no other document."""
    for key, value in document.items():
        if type(value) is dict or type(value) is list:
            document[key] = deep_copy(value)
    return document


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
        return LEAVES.dict_like(
            {(sys.intern(key) if type(key) is str else key): _share(item, datetimes) for key, item in value.items()})
    if kind is list:
        return LEAVES.list_like([_share(item, datetimes) for item in value])
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
        return LEAVES.dict_like(
            {(sys.intern(key) if type(key) is str else key): _stored(item, datetimes) for key, item in value.items()})
    if kind is list or kind is tuple:
        return LEAVES.list_like([_stored(item, datetimes) for item in value])
    if kind is datetime:
        held = datetimes.get(value)
        if held is None:
            held = datetimes[value] = as_stored(value)
        return held
    if kind in _PLAIN:
        return value
    return as_stored(value)  # anything else by mongomock's own rules, as it is (not shared)

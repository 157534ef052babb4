"""The engine's fast versions of mongomock's copying helpers answer what the originals answer, as copies."""

from collections import OrderedDict
from datetime import datetime
from typing import Any

import mongomock.collection
import mongomock.helpers
from bson import ObjectId

from shared.store import mongomock_speedups


class LaterDate(datetime):
    """A subclass: the fast versions hand it to the originals."""


def stored_tree() -> dict[str, Any]:
    return {"_id": ObjectId(), "at": datetime(2026, 12, 4, 3, 30), "n": 1, "f": 1.5, "ok": True, "none": None,
            "raw": b"\x00", "history": [{"at": datetime(2026, 1, 1), "actor": {"kind": "citizen", "id": "c1"}}],
            "pair": ("a", datetime(2026, 2, 2)), "ordered": OrderedDict(b=1, a=2), "later": LaterDate(2026, 3, 3)}


def test_a_find_answer_is_what_mongomock_makes_of_it_and_shares_no_container() -> None:
    stored = stored_tree()
    fast = mongomock_speedups.as_answered(stored)
    assert fast == mongomock_speedups._original_as_answered(stored)
    assert fast["at"].tzinfo is not None and fast["later"].tzinfo is not None
    assert fast["history"] is not stored["history"] and fast["history"][0]["actor"] is not stored["history"][0]["actor"]


def test_a_copied_field_is_what_mongomock_copies_and_shares_no_container() -> None:
    stored = stored_tree()
    fast = mongomock_speedups.copy_field(stored, dict)
    assert fast == mongomock_speedups._original_copy_field(stored, dict)
    assert fast["history"][0] is not stored["history"][0]
    assert mongomock_speedups.copy_field(stored, OrderedDict) == mongomock_speedups._original_copy_field(
        stored, OrderedDict)


def test_the_engine_installed_them() -> None:
    import shared.store.memory  # noqa: F401  (installs them on import)

    assert mongomock.helpers.make_datetime_timezone_aware_in_document is mongomock_speedups.as_answered
    assert mongomock.collection._copy_field is mongomock_speedups.copy_field

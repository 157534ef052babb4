"""Keyset paging (phân trang theo vị trí) of the lists: a page starts where the last one ended. Pure.

A list is ordered by the time of each dossier's latest status change, newest first, then by its id. A
dossier keeps that key for as long as it keeps its status, so a per-status list read page after page
while dossiers come and go lists each dossier that stayed exactly once: one that arrives or moves goes to
the top (seen on the next first page), one that leaves takes no place with it. An offset would shift
every later page by each arrival (listed twice) and each departure (left out).

The cursor is opaque to clients: the key of the item it follows (or precedes, paging back) and the page
number it leads to, as URL-safe base64 of a little JSON.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from services.query.domain.document import Document
from services.query.errors import InvalidCursor

Direction = Literal["after", "before"]
# The stored field of the key, and the order: newest status change first, the id breaking ties.
SORT_FIELD = "listed_at"
LISTED_FIRST = [(SORT_FIELD, -1), ("_id", 1)]
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: right `after` (or `before`) the item with this key; `page`: its number."""

    listed_at: datetime
    dossier_id: str
    direction: Direction
    page: int

    def encode(self) -> str:
        raw = json.dumps({"t": self.listed_at.isoformat(), "i": self.dossier_id, "d": self.direction[0],
                          "p": self.page}, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> "Cursor":
        try:
            raw = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
            listed_at = datetime.fromisoformat(raw["t"])
            directions: dict[str, Direction] = {"a": "after", "b": "before"}
            direction = directions[raw["d"]]
            cursor = cls(listed_at, str(raw["i"]), direction, int(raw["p"]))
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise InvalidCursor() from None
        if listed_at.tzinfo is None or not 1 <= cursor.page <= MAX_PAGE or not cursor.dossier_id:
            raise InvalidCursor()
        return cursor

    def condition(self) -> dict[str, object]:
        """The store's condition for the items on this cursor's side of its key."""
        beyond, tie = ("$lt", "$gt") if self.direction == "after" else ("$gt", "$lt")
        return {"$or": [{SORT_FIELD: {beyond: self.listed_at}},
                        {SORT_FIELD: self.listed_at, "_id": {tie: self.dossier_id}}]}


def after(item: Document, page: int) -> Cursor:
    return Cursor(item[SORT_FIELD], item["_id"], "after", page)


def before(item: Document, page: int) -> Cursor:
    return Cursor(item[SORT_FIELD], item["_id"], "before", page)


def listed_at(document: Document) -> datetime | None:
    """The key a dossier is listed by: when it took its current status (its latest history entry)."""
    history = document["history"]
    at: datetime | None = history[-1]["at"] if history else document["updated_at"]
    return at

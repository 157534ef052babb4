"""Keyset paging (phân trang theo vị trí) of the lists: a page starts where the last one ended. Pure.

A list is ordered by the time of each dossier's latest status change, newest first, then by its id. A
dossier keeps that key for as long as it keeps its status, so a per-status list read page after page
while dossiers come and go lists each dossier that stayed exactly once: one that arrives or moves goes to
the top (seen on the next first page), one that leaves takes no place with it. An offset would shift
every later page by each arrival (listed twice) and each departure (left out).

The cursor is opaque to clients: the key of the item it follows (or precedes, paging back), the direction
and the page number it leads to, `<ms since 1970>.<a|b>.<page>.<dossier id>`. Every text of that form is a
valid place to start (`CURSOR_PATTERN`, published in the OpenAPI), so that what the schema allows the
service accepts.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from services.query.domain.document import Document
from services.query.errors import InvalidCursor
from shared.read_model import CURSOR_PATTERN

Direction = Literal["after", "before"]
# The stored field of the key, and the order: newest status change first, the id breaking ties.
SORT_FIELD = "listed_at"
LISTED_FIRST = [(SORT_FIELD, -1), ("_id", 1)]
CURSOR = re.compile(CURSOR_PATTERN)


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: right `after` (or `before`) the item with this key; `page`: its number."""

    listed_at: datetime
    dossier_id: str
    direction: Direction
    page: int

    def encode(self) -> str:
        milliseconds = int(self.listed_at.timestamp() * 1000)
        return f"{milliseconds}.{self.direction[0]}.{self.page}.{self.dossier_id}"

    @classmethod
    def decode(cls, text: str) -> "Cursor":
        """Any text of the cursor's form is a place in the list (the key need not be a dossier's any more)."""
        found = CURSOR.fullmatch(text)
        if found is None:
            raise InvalidCursor()
        milliseconds, direction, page, dossier_id = found.groups()
        directions: dict[str, Direction] = {"a": "after", "b": "before"}
        listed_at = datetime.fromtimestamp(int(milliseconds) / 1000, UTC)
        return cls(listed_at, dossier_id, directions[direction], int(page))

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

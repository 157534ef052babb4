"""The in-memory engine's cursor: what find() and aggregate() answer, shaped like PyMongo's async cursors."""

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from pymongo import ASCENDING

Document = dict[str, Any]


def index_list(spec: Any, direction: Any = None) -> list[tuple[str, Any]]:
    """(field, direction) pairs from a spec as cursor.sort() and create_index() take it."""
    if isinstance(spec, str):
        return [(spec, ASCENDING if direction is None else direction)]
    if direction is not None:
        raise TypeError(f"Expected a string and a direction, not {type(spec)}")
    if isinstance(spec, Mapping):
        return list(spec.items())
    return [(item, ASCENDING) if isinstance(item, str) else (item[0], item[1]) for item in spec]


def sort_list(sort: Any) -> list[tuple[str, Any]] | None:
    """(field, direction) pairs from a `sort=` argument, which PyMongo refuses as a bare string."""
    if sort is None:
        return None
    if not isinstance(sort, list | tuple | Mapping):
        raise TypeError(f"must use a dictionary or a list of (key, direction) pairs, not: {sort!r}")
    return index_list(sort)


class MemoryCursor:
    """The answer to find() or aggregate(): async iteration and to_list(), like PyMongo's async cursors."""

    def __init__(self, fetch: Callable[[], Iterable[Document]], query: Any = None) -> None:
        self._fetch = fetch
        self._query = query  # the mongomock cursor, while sort/skip/limit may still shape it
        self._results: Iterator[Document] | None = None

    def _rows(self) -> Iterator[Document]:
        if self._results is None:
            # Materialized in one go, so that concurrent writes never show up half-way through.
            self._results = iter(list(self._fetch()))
        return self._results

    def sort(self, key_or_list: Any, direction: Any = None) -> "MemoryCursor":
        self._query.sort(index_list(key_or_list, direction))
        return self

    def skip(self, skip: int) -> "MemoryCursor":
        self._query.skip(skip)
        return self

    def limit(self, limit: int) -> "MemoryCursor":
        self._query.limit(limit)
        return self

    async def to_list(self, length: int | None = None) -> list[Document]:
        if length is not None and length < 1:
            raise ValueError("to_list() length must be greater than 0")
        rows = self._rows()
        if length is None:
            return list(rows)
        return [row for _, row in zip(range(length), rows, strict=False)]

    def __aiter__(self) -> "MemoryCursor":
        return self

    async def __anext__(self) -> Document:
        try:
            return next(self._rows())
        except StopIteration:
            raise StopAsyncIteration from None

    async def close(self) -> None:
        self._results = iter(())

"""The document store port: one service's database, reached through PyMongo's async API.

`DocumentStore.db` is an `AsyncDatabase` on MongoDB, or the in-memory engine's equivalent that speaks
the same subset (see shared/store/memory.py). Repositories are written once against it.
"""

from typing import Any, Protocol


class DocumentStore(Protocol):
    @property
    def db(self) -> Any: ...

    async def ping(self) -> bool: ...

    async def close(self) -> None: ...

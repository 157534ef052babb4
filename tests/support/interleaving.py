"""The in-memory store, made to let other tasks run around every call, as a network round trip does.

The in-memory engine runs each call to completion without suspending, so two handlers started with
`asyncio.gather` would otherwise never interleave between their read and their write, and a race test
would prove nothing.
"""

import asyncio
import inspect
from typing import Any, cast

from shared.store.memory import MemoryStore
from shared.store.port import Database


class InterleavingCollection:
    def __init__(self, collection: Any) -> None:
        self._collection = collection

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._collection, name)
        if not inspect.iscoroutinefunction(attribute):
            return attribute

        async def call(*args: Any, **kwargs: Any) -> Any:
            await asyncio.sleep(0)
            answer = await attribute(*args, **kwargs)
            await asyncio.sleep(0)
            return answer

        return call


class InterleavingDatabase:
    def __init__(self, db: Any) -> None:
        self._db = db

    def __getitem__(self, name: str) -> InterleavingCollection:
        return InterleavingCollection(self._db[name])


class InterleavingStore:
    """A DocumentStore over a MemoryStore (shared with others, like one MongoDB behind several replicas)."""

    def __init__(self, store: MemoryStore) -> None:
        self.memory = store
        self._db = InterleavingDatabase(store.db)

    @property
    def db(self) -> Database:
        return cast(Database, self._db)

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        await self.memory.close()

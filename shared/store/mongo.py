"""The MongoDB document store of the distributed run: one service's database through AsyncMongoClient."""

from typing import Any

import pymongo
from pymongo import AsyncMongoClient
from pymongo.errors import PyMongoError

from shared.store.port import Database

# Readiness probes ask often and must answer quickly, even while MongoDB is unreachable.
PING_TIMEOUT_SECONDS = 2.0


class MongoStore:
    """A DocumentStore on MongoDB; the client connects lazily, on its first operation."""

    def __init__(self, url: str, database_name: str) -> None:
        self._client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url, tz_aware=True)
        self._db = self._client[database_name]

    @property
    def db(self) -> Database:
        return self._db

    async def ping(self) -> bool:
        try:
            with pymongo.timeout(PING_TIMEOUT_SECONDS):
                await self._client.admin.command("ping")
        except PyMongoError:
            return False
        return True

    async def close(self) -> None:
        await self._client.close()

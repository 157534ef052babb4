"""The document store port: one service's database, reached through PyMongo's async API.

`Database` is PyMongo's `AsyncDatabase` type: on MongoDB it is one, and the in-memory engine (see
shared/store/memory.py) speaks the same subset behind that type. Repositories are written once against it,
and mypy checks every call they make on it against PyMongo's own signatures.
"""

from typing import Any, Protocol, TypeAlias

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

Database: TypeAlias = AsyncDatabase[dict[str, Any]]
Collection: TypeAlias = AsyncCollection[dict[str, Any]]


class DocumentStore(Protocol):
    @property
    def db(self) -> Database: ...

    async def ping(self) -> bool: ...

    async def close(self) -> None: ...

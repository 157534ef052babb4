"""Document store access: open the store a service's settings ask for."""

import asyncio

from shared.settings import ServiceSettings
from shared.store.memory import MemoryStore
from shared.store.mongo import MongoStore
from shared.store.port import DocumentStore

__all__ = ["DocumentStore", "open_store"]


async def open_store(settings: ServiceSettings, service: str) -> DocumentStore:
    """Open `service`'s database: on MongoDB when MONGO_URL is set, else in memory, journaled to
    STORE_JOURNAL_DIR when that is set so that the data survives a restart. A journal is replayed in a
    worker thread, so that the event loop keeps running meanwhile."""
    database_name = f"{settings.namespace}_{service}"
    if settings.mongo_url:
        return MongoStore(settings.mongo_url, database_name)
    journal_path = None
    if settings.store_journal_dir is not None:
        settings.store_journal_dir.mkdir(parents=True, exist_ok=True)
        journal_path = settings.store_journal_dir / f"{database_name}.jsonl"
    return await asyncio.to_thread(MemoryStore, database_name, journal_path)

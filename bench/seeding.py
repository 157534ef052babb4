"""Putting N dossiers in the query service's read model fast enough for 100,000 to fit the time budget.

Consuming events is the honest way in, and a slow one at that size: the in-memory engine scans every
document for each write, so applying 300,000 events one by one would take hours. Instead the documents
are built by the query's own projection (bench.dataset) and written to its store directly:

- in memory: appended to the journal the in-memory store keeps under STORE_JOURNAL_DIR, as the very
  `insert_many` lines the store itself writes; the query process replays them at start and catches up
  with what is appended later before its next read (the journal is made for several processes), and,
  holding the state they make (this process holds none), compacts them once they pass 8 MB;
- MongoDB: `insert_many` into the query's database, where the service finds them.

Either way the dossiers bypass the bus and the `events` collection: a rebuild would not find them.
"""

from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from bench.dataset import documents
from services.query.adapters.read_model import DOSSIERS
from shared.store.journal import Journal
from shared.store.mongo import MongoStore

BATCH = 1000


def _batches(start: int, stop: int) -> Iterator[list[dict[str, object]]]:
    made = documents(start, stop)
    while batch := list(islice(made, BATCH)):
        yield batch


class JournalSeeder:
    """Appends dossiers to the query's journal ("<namespace>_query.jsonl", as shared.store names it)."""

    def __init__(self, journal_dir: Path, namespace: str) -> None:
        journal_dir.mkdir(parents=True, exist_ok=True)
        # Nothing to replay here: this process only writes.
        self._journal = Journal(journal_dir / f"{namespace}_query.jsonl", lambda _record: None)

    async def add(self, start: int, stop: int) -> None:
        for batch in _batches(start, stop):
            with self._journal.writing():
                self._journal.append({"c": DOSSIERS, "m": "insert_many", "a": [batch], "k": {"ordered": True}})

    async def close(self) -> None:
        self._journal.close()


class MongoSeeder:
    """Inserts dossiers into the query's database on MongoDB ("<namespace>_query"), dropped on close."""

    def __init__(self, mongo_url: str, namespace: str) -> None:
        self._store = MongoStore(mongo_url, f"{namespace}_query")

    async def add(self, start: int, stop: int) -> None:
        for batch in _batches(start, stop):
            await self._store.db[DOSSIERS].insert_many(batch, ordered=False)

    async def close(self) -> None:
        await self._store.db.client.drop_database(self._store.db.name)
        await self._store.close()


Seeder = JournalSeeder | MongoSeeder

"""A stand-in for one replica of a service on a shared journal, run as its own process by the tests.

    python -m tests.support.journal_worker allocate JOURNAL COUNT NAME [COMPACT_BYTES]
        (compacting the journal past COMPACT_BYTES, the store's default without it)
        creates the unique index, says it is ready in the "replicas" collection, waits there for the "go"
        document (so that every replica starts at once), then allocates COUNT lookup codes the way
        the processing service does: `$inc` on one counter, then a dossier carrying the code under a unique
        index. COUNT 0 means until killed. Any error, a DuplicateKeyError first of all, exits non-zero.
    python -m tests.support.journal_worker relay JOURNAL
        reads the dossier "from-parent" and writes "from-child" holding what it read.
"""

import asyncio
import itertools
import sys
import time

from pymongo import ReturnDocument

from shared.store.memory import MemoryStore

START_TIMEOUT_SECONDS = 15.0
POLL_SECONDS = 0.005


async def allocate(journal: str, count: int, name: str, compact_bytes: int | None = None) -> None:
    store = MemoryStore("db", journal, **({} if compact_bytes is None else {"compact_bytes": compact_bytes}))
    dossiers = store.db.dossiers
    # Every replica creates its indexes at start-up, as the services do, possibly at the same moment.
    await dossiers.create_index("lookup_code", unique=True, partialFilterExpression={
        "lookup_code": {"$type": "string"}
    })
    await store.db.replicas.insert_one({"_id": name})  # tells the test this replica is ready
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while await store.db.replicas.find_one("go") is None:
        if time.monotonic() > deadline:
            raise TimeoutError("the test never said go")
        await asyncio.sleep(POLL_SECONDS)
    for _ in range(count) if count else itertools.count():
        counter = await store.db.counters.find_one_and_update(
            {"_id": "lookup"}, {"$inc": {"seq": 1}}, upsert=True, return_document=ReturnDocument.AFTER
        )
        if counter is None:
            raise LookupError("an upsert with return_document=AFTER returned nothing")
        seq = counter["seq"]
        await dossiers.insert_one({"lookup_code": f"000.00.01.H01-240304-{seq:04d}", "seq": seq, "by": name})
    await store.close()


async def relay(journal: str) -> None:
    store = MemoryStore("db", journal)
    seen = await store.db.dossiers.find_one("from-parent")
    if seen is None:
        raise LookupError("the parent's dossier is not in the journal")
    await store.db.dossiers.insert_one({"_id": "from-child", "saw": seen})
    await store.close()


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    if command == "allocate":
        journal, count, name, *compact_bytes = arguments
        asyncio.run(allocate(journal, int(count), name, *map(int, compact_bytes)))
    elif command == "relay":
        asyncio.run(relay(*arguments))
    else:
        raise SystemExit(f"unknown command {command!r}")

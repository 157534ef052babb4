"""One journaled in-memory database shared by several processes, as replicas share one MongoDB.

The replicas are real processes (tests/support/journal_worker.py). Two MemoryStores opened in this one
process stand in for two processes where the timing has to be exact: each opens the journal and its lock
file on its own, so their locks exclude each other exactly as two processes' do.
"""

import asyncio
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from shared.store.memory import MemoryStore
from tests.support.waiting import eventually

ROOT = Path(__file__).resolve().parents[2]
WORKER = "tests.support.journal_worker"
RUN_TIMEOUT_SECONDS = 30.0


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    return tmp_path / "shared.jsonl"


@pytest.fixture
async def store(journal: Path) -> AsyncIterator[MemoryStore]:
    """This process's view of the shared database, opened before the others write."""
    opened = MemoryStore("db", journal)
    yield opened
    await opened.close()


Worker = asyncio.subprocess.Process
StartWorker = Callable[..., Awaitable[Worker]]


@pytest.fixture
async def start_worker() -> AsyncIterator[StartWorker]:
    """Starts journal_worker processes; any still running when the test ends (it failed) is killed."""
    started: list[Worker] = []

    async def start(*arguments: str | Path | int) -> Worker:
        worker = await asyncio.create_subprocess_exec(
            sys.executable, "-m", WORKER, *map(str, arguments), cwd=ROOT,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.returncode is None:
            worker.kill()
            await worker.communicate()


async def finished(worker: Worker) -> None:
    """Wait for the worker to end, and fail with its stderr unless it ended well."""
    _, stderr = await asyncio.wait_for(worker.communicate(), RUN_TIMEOUT_SECONDS)
    assert worker.returncode == 0, stderr.decode()


async def start_replicas(
    start_worker: StartWorker, store: MemoryStore, journal: Path, counts: dict[str, int], *compact_bytes: int
) -> dict[str, Worker]:
    """Start one allocating worker per name, and let them all go at once when all have their indexes."""
    workers = {name: await start_worker("allocate", journal, count, name, *compact_bytes)
               for name, count in counts.items()}

    async def all_ready() -> bool:
        return set(await store.db.replicas.distinct("_id")) == set(counts)

    await eventually(all_ready, RUN_TIMEOUT_SECONDS, what="every replica started")
    await store.db.replicas.insert_one({"_id": "go"})
    return workers


async def codes_by_replica(store: MemoryStore) -> dict[str, list[int]]:
    allocated: dict[str, list[int]] = {}
    async for dossier in store.db.dossiers.find({}, sort=[("seq", 1)]):
        allocated.setdefault(dossier["by"], []).append(dossier["seq"])
    return allocated


async def snapshot(store: MemoryStore) -> tuple[Any, ...]:
    return (
        await store.db.dossiers.find({}, sort=[("_id", 1)]).to_list(),
        await store.db.counters.find().to_list(),
        await store.db.dossiers.index_information(),
    )


async def reopened(journal: Path) -> tuple[Any, ...]:
    """What a process opening the journal now would find: the same, replayed from the file alone."""
    fresh = MemoryStore("db", journal)
    try:
        return await snapshot(fresh)
    finally:
        await fresh.close()


async def counter(store: MemoryStore) -> int:
    found = await store.db.counters.find_one("lookup")
    return int(found["seq"]) if found else 0


async def test_replicas_allocate_distinct_lookup_codes(
    start_worker: StartWorker, store: MemoryStore, journal: Path
) -> None:
    counts = {"a": 100, "b": 100, "c": 100}
    workers = await start_replicas(start_worker, store, journal, counts)
    for worker in workers.values():
        await finished(worker)  # a DuplicateKeyError in any of them would have failed it

    assert await counter(store) == 300
    allocated = await codes_by_replica(store)
    assert {name: len(seqs) for name, seqs in allocated.items()} == counts
    assert sorted(seq for seqs in allocated.values() for seq in seqs) == list(range(1, 301))
    assert len(await store.db.dossiers.distinct("lookup_code")) == 300
    # They really ran at the same time: each replica's numbers are interleaved with the others'.
    assert all(seqs[-1] - seqs[0] + 1 > len(seqs) for seqs in allocated.values()), allocated
    assert await reopened(journal) == await snapshot(store)


async def test_replicas_compacting_the_journal_as_they_go_still_agree(
    start_worker: StartWorker, store: MemoryStore, journal: Path
) -> None:
    counts = {"a": 100, "b": 100, "c": 100}
    # Every replica snapshots the journal every 4 KB (a dozen lines): each keeps finding it replaced.
    workers = await start_replicas(start_worker, store, journal, counts, 4096)
    for worker in workers.values():
        await finished(worker)

    assert await counter(store) == 300  # this process only read meanwhile, through every compaction
    allocated = await codes_by_replica(store)
    assert sorted(seq for seqs in allocated.values() for seq in seqs) == list(range(1, 301))
    assert len(await store.db.dossiers.distinct("lookup_code")) == 300
    written = await asyncio.to_thread(journal.read_bytes)
    assert written.startswith(b'{"snapshot": ') and written.count(b"\n") < 30  # compacted, and recently
    snapshots = await asyncio.to_thread(lambda: list(journal.parent.glob(journal.name + ".snapshot-*")))
    assert len(snapshots) == 1
    assert await reopened(journal) == await snapshot(store)


async def test_a_process_sees_the_others_writes_on_its_next_read(
    start_worker: StartWorker, store: MemoryStore, journal: Path
) -> None:
    await store.db.dossiers.insert_one({"_id": "from-parent", "status": "submitted"})
    await finished(await start_worker("relay", journal))
    assert await store.db.dossiers.find_one("from-child") == {
        "_id": "from-child", "saw": {"_id": "from-parent", "status": "submitted"}
    }


async def test_a_sigkilled_writer_leaves_the_journal_usable(
    start_worker: StartWorker, store: MemoryStore, journal: Path
) -> None:
    workers = await start_replicas(start_worker, store, journal, {"victim": 0, "survivor": 150})
    victim = workers["victim"]

    async def under_way() -> bool:
        return await counter(store) > 100

    await eventually(under_way, RUN_TIMEOUT_SECONDS, what="100 lookup codes allocated")
    victim.send_signal(signal.SIGKILL)
    await victim.wait()
    assert victim.returncode == -signal.SIGKILL
    await finished(workers["survivor"])

    allocated = await codes_by_replica(store)
    assert len(allocated["survivor"]) == 150
    assert len(await store.db.dossiers.distinct("lookup_code")) == sum(map(len, allocated.values()))
    last = await counter(store)
    following = await store.db.counters.find_one_and_update(
        {"_id": "lookup"}, {"$inc": {"seq": 1}}, return_document=ReturnDocument.AFTER
    )
    assert following is not None and following["seq"] == last + 1
    await store.db.dossiers.insert_one({"lookup_code": f"000.00.01.H01-240304-{last + 1:04d}"})
    assert await reopened(journal) == await snapshot(store)


async def test_a_check_then_write_sees_the_other_process_first(journal: Path) -> None:
    first, second = MemoryStore("db", journal), MemoryStore("db", journal)
    await first.db.dossiers.create_index("lookup_code", unique=True)
    await first.db.dossiers.insert_one({"_id": "d1", "lookup_code": "L1"})
    with pytest.raises(DuplicateKeyError):
        await second.db.dossiers.insert_one({"_id": "d2", "lookup_code": "L1"})
    for store in (first, second, first):
        await store.db.counters.update_one({"_id": "lookup"}, {"$inc": {"seq": 1}}, upsert=True)
    assert await first.db.counters.find_one("lookup") == {"_id": "lookup", "seq": 3}
    await first.close()
    await second.close()


def append(path: Path, data: bytes) -> None:
    with path.open("ab") as file:
        file.write(data)


async def test_a_torn_line_is_left_to_readers_and_cut_by_the_next_writer(journal: Path) -> None:
    first = MemoryStore("db", journal)
    await first.db.things.insert_one({"_id": 1})
    torn = b'{"c": "things", "m": "insert_one", "a": [{"_id": 2'
    await asyncio.to_thread(append, journal, torn)  # what a writer killed half-way through its line leaves

    second = MemoryStore("db", journal)
    assert await second.db.things.find().to_list() == [{"_id": 1}]
    assert await first.db.things.find().to_list() == [{"_id": 1}]
    # Cutting it off is a write, and readers hold only the shared lock: the next writer does it.
    assert (await asyncio.to_thread(journal.read_bytes)).endswith(torn)
    await second.db.things.insert_one({"_id": 3})
    assert await first.db.things.find().to_list() == [{"_id": 1}, {"_id": 3}]
    written = await asyncio.to_thread(journal.read_bytes)
    assert torn not in written and written.endswith(b"\n")
    await first.close()
    await second.close()
    third = MemoryStore("db", journal)
    assert await third.db.things.find().to_list() == [{"_id": 1}, {"_id": 3}]
    await third.close()

"""A service opens its store, replaying its journal, before it connects to the broker, and replays off the
event loop: a long replay can neither starve the broker connection's heartbeats nor freeze the process."""

import asyncio
import json
from pathlib import Path

import pytest

from services.topology import queues_of
from shared.messaging.rabbitmq import RabbitBus
from shared.settings import ServiceSettings
from shared.store import open_store
from shared.store.journal import encode
from shared.store.memory import MemoryStore
from tests.support.broker import require_rabbitmq, unique_namespace
from tests.support.processes import LOG_DIR, free_port, running

LINES = 4000  # a few tenths of a second of replay: long enough for the event loop to be seen running


def write_journal(path: Path, lines: int = LINES) -> None:
    """A journal as a store that never compacted writes it: one insert per line, oldest first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        for n in range(lines):
            file.write(encode({"c": "replayed", "m": "insert_one", "a": [{"_id": n, "text": "hồ sơ " * 20}],
                               "k": {}}))


async def test_a_journal_is_replayed_off_the_event_loop(tmp_path: Path) -> None:
    settings = ServiceSettings(namespace="t", store_journal_dir=tmp_path, mongo_url=None)
    await asyncio.to_thread(write_journal, tmp_path / "t_intake.jsonl")
    opening = asyncio.create_task(open_store(settings, "intake"))
    turns = 0  # how often the event loop ran something else while the store was opening
    while not opening.done():
        await asyncio.sleep(0.005)
        turns += 1
    store = await opening
    try:
        assert await store.db.replayed.count_documents({}) == LINES
        # On the event loop the replay would run in one go, between two of these turns.
        assert turns > 2
    finally:
        await store.close()


@pytest.mark.rabbitmq
async def test_a_service_opens_its_store_before_the_broker(tmp_path: Path) -> None:
    amqp_url, namespace, port = require_rabbitmq(), unique_namespace(), free_port()
    await asyncio.to_thread(write_journal, tmp_path / f"{namespace}_intake.jsonl")
    env = {"AMQP_URL": amqp_url, "NAMESPACE": namespace, "STORE_JOURNAL_DIR": str(tmp_path), "PORT": str(port),
           "LOG_LEVEL": "INFO"}
    log_name = f"store-before-broker-{namespace}"
    try:
        await asyncio.to_thread(_run_until_ready, env, f"http://127.0.0.1:{port}/readyz", log_name)
        events = [json.loads(line)["event"] for line in (LOG_DIR / f"{log_name}.log").read_text().splitlines()
                  if line.startswith("{")]
        assert "store_opened" in events and "bus_opened" in events, events
        assert events.index("store_opened") < events.index("bus_opened")
        reopened = MemoryStore(f"{namespace}_intake", tmp_path / f"{namespace}_intake.jsonl")
        assert await reopened.db.replayed.count_documents({}) == LINES
        await reopened.close()
    finally:
        bus = await RabbitBus.connect(amqp_url, namespace=namespace)
        await bus.delete_topology(queues_of("intake"))
        await bus.close()


def _run_until_ready(env: dict[str, str], ready_url: str, log_name: str) -> None:
    with running("services.intake", env, ready_url, log_name):
        pass  # ready: its store is open and its consumer is on the broker

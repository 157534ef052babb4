"""Handlers of one dossier run in delivery order even when started concurrently; others overlap."""

import asyncio

from shared.messaging.ordering import KeyedLocks


async def test_one_key_runs_in_start_order_while_other_keys_overlap() -> None:
    locks = KeyedLocks()
    finished: list[str] = []
    first_of_a_started = asyncio.Event()
    release_a1 = asyncio.Event()

    async def handle(key: str, name: str, gate: asyncio.Event | None = None) -> None:
        async with locks.hold(key):
            if gate is not None:
                first_of_a_started.set()
                await gate.wait()
            finished.append(name)

    tasks = [asyncio.create_task(handle("a", "a1", release_a1)), asyncio.create_task(handle("a", "a2")),
             asyncio.create_task(handle("b", "b1"))]
    await first_of_a_started.wait()
    await tasks[2]
    assert finished == ["b1"]  # b did not wait for a
    release_a1.set()
    await asyncio.gather(*tasks)
    assert finished == ["b1", "a1", "a2"]
    assert locks._locks == {}

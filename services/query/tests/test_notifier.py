"""The signal that wakes read-your-writes waiters: woken by an event applied to their dossier, bounded, and
cancellable."""

import asyncio

import pytest

from services.query.adapters.notifier import AppliedNotifier


async def test_a_waiter_wakes_as_soon_as_an_event_of_its_dossier_is_applied() -> None:
    notifier = AppliedNotifier()
    waiting = asyncio.create_task(notifier.wait_past("d1", notifier.applied, within=5.0))
    await asyncio.sleep(0)
    assert not waiting.done()
    await notifier.notify("d1")
    await asyncio.wait_for(waiting, 1.0)


async def test_an_event_of_another_dossier_does_not_wake_it() -> None:
    notifier = AppliedNotifier()
    mine = asyncio.create_task(notifier.wait_past("d1", notifier.applied, within=5.0))
    theirs = asyncio.create_task(notifier.wait_past("d2", notifier.applied, within=5.0))
    await asyncio.sleep(0)
    await notifier.notify("d2")
    await asyncio.wait_for(theirs, 1.0)
    await asyncio.sleep(0.05)
    assert not mine.done()
    mine.cancel()


async def test_an_event_applied_before_the_wait_is_not_missed() -> None:
    notifier = AppliedNotifier()
    seen = notifier.applied
    await notifier.notify("d1")
    async with asyncio.timeout(1.0):
        await notifier.wait_past("d1", seen, within=5.0)


async def test_without_an_event_the_wait_ends_after_its_bound_and_leaves_nothing_behind() -> None:
    notifier = AppliedNotifier()
    loop = asyncio.get_running_loop()
    started = loop.time()
    await notifier.wait_past("d1", 0, within=0.05)
    assert loop.time() - started >= 0.04
    assert not notifier._waiting


async def test_a_cancelled_waiter_is_cancelled() -> None:
    notifier = AppliedNotifier()
    waiting = asyncio.create_task(notifier.wait_past("d1", 0, within=5.0))
    await asyncio.sleep(0)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert not notifier._waiting

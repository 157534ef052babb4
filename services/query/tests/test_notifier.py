"""The signal that wakes read-your-writes waiters: woken by an applied event, bounded, and cancellable."""

import asyncio

import pytest

from services.query.adapters.notifier import AppliedNotifier


async def test_a_waiter_wakes_as_soon_as_an_event_is_applied() -> None:
    notifier = AppliedNotifier()
    waiting = asyncio.create_task(notifier.wait_past(notifier.applied, within=5.0))
    await asyncio.sleep(0)
    assert not waiting.done()
    await notifier.notify()
    await asyncio.wait_for(waiting, 1.0)


async def test_an_event_applied_before_the_wait_is_not_missed() -> None:
    notifier = AppliedNotifier()
    seen = notifier.applied
    await notifier.notify()
    async with asyncio.timeout(1.0):
        await notifier.wait_past(seen, within=5.0)


async def test_without_an_event_the_wait_ends_after_its_bound() -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    await AppliedNotifier().wait_past(0, within=0.05)
    assert loop.time() - started >= 0.04


async def test_a_cancelled_waiter_is_cancelled() -> None:
    waiting = asyncio.create_task(AppliedNotifier().wait_past(0, within=5.0))
    await asyncio.sleep(0)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting

"""Waiting for eventual effects (a delivery, a projection) with a bound, instead of sleeping."""

import asyncio
import inspect
import time
from collections.abc import Callable

POLL_INTERVAL_SECONDS = 0.02


# `timeout` rather than `asyncio.timeout` around the call: the failure then says what never became true.
async def eventually(
    predicate: Callable[[], object], timeout: float = 10.0, *, what: str = "",  # noqa: ASYNC109
) -> None:
    """Poll `predicate` (plain or async) every 20 ms until it is truthy; fail the test after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        outcome = predicate()
        if inspect.isawaitable(outcome):
            outcome = await outcome
        if outcome:
            return
        if time.monotonic() >= deadline:
            raise AssertionError(f"still not true after {timeout} s: {what or predicate}")
        await asyncio.sleep(POLL_INTERVAL_SECONDS)


def eventually_sync(predicate: Callable[[], bool], timeout: float = 10.0, *, what: str = "") -> None:
    """`eventually` for plain (synchronous) tests, such as those driving the product over blocking HTTP."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            raise AssertionError(f"still not true after {timeout} s: {what or predicate}")
        time.sleep(POLL_INTERVAL_SECONDS)

"""Questions asked together answered by one call: each asker its own answer, an error to the askers of its call."""

import asyncio

import pytest

from shared.coalescing import Coalescer


class Answerer:
    """Answers each key by its upper case, but not "missing"; records the keys of every call; a call can be
    held until released, and the first `failing` calls fail."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.release = asyncio.Event()
        self.release.set()
        self.failing = 0

    async def __call__(self, keys: list[str]) -> dict[str, str]:
        self.calls.append(keys)
        await self.release.wait()
        if len(self.calls) <= self.failing:
            raise ConnectionError("away")
        return {key: key.upper() for key in keys if key != "missing"}


async def test_questions_asked_together_go_in_one_call_each_answered_its_own() -> None:
    answerer = Answerer()
    coalescer = Coalescer(answerer, most=10)
    answers = await asyncio.gather(*(coalescer.ask(key) for key in ("a", "b", "missing", "a")))
    assert answers == ["A", "B", None, "A"]
    assert answerer.calls == [["a", "b", "missing"]]


async def test_questions_asked_during_a_call_go_together_in_the_next() -> None:
    answerer = Answerer()
    answerer.release.clear()
    coalescer = Coalescer(answerer, most=10)
    first = asyncio.create_task(coalescer.ask("a"))
    await asyncio.sleep(0.01)
    assert answerer.calls == [["a"]]  # the first question is not kept waiting for company
    later = [asyncio.create_task(coalescer.ask(key)) for key in ("b", "c")]
    answerer.release.set()
    assert await asyncio.gather(first, *later) == ["A", "B", "C"]
    assert answerer.calls == [["a"], ["b", "c"]]


async def test_a_call_names_at_most_its_bound() -> None:
    answerer = Answerer()
    coalescer = Coalescer(answerer, most=2)
    assert await asyncio.gather(*(coalescer.ask(key) for key in "abcde")) == list("ABCDE")
    assert answerer.calls == [["a", "b"], ["c", "d"], ["e"]]


async def test_a_failed_call_fails_its_askers_only() -> None:
    answerer = Answerer()
    answerer.release.clear()
    answerer.failing = 1
    coalescer = Coalescer(answerer, most=10)
    failed = [asyncio.create_task(coalescer.ask(key)) for key in ("a", "b")]
    await asyncio.sleep(0.01)
    later = asyncio.create_task(coalescer.ask("c"))
    answerer.release.set()
    for asker in failed:
        with pytest.raises(ConnectionError):
            await asker
    assert await later == "C"


async def test_an_asker_cancelled_while_waiting_leaves_the_others_answered() -> None:
    answerer = Answerer()
    answerer.release.clear()
    coalescer = Coalescer(answerer, most=10)
    gone, staying = asyncio.create_task(coalescer.ask("a")), asyncio.create_task(coalescer.ask("b"))
    await asyncio.sleep(0.01)
    gone.cancel()
    answerer.release.set()
    assert await staying == "B"
    with pytest.raises(asyncio.CancelledError):
        await gone

"""Slips are laid out in one thread of their own, below the event loop's priority, with the caller's context."""

import contextvars
import os
import sys
import threading

import pytest

from services.slips.adapters.layout_thread import LayoutThread

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="a thread's own nice value is Linux's")

caller = contextvars.ContextVar("caller", default="none")


def nice_of_this_thread() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def where_and_how_nice() -> tuple[int, int, str]:
    return threading.get_native_id(), nice_of_this_thread(), caller.get()


async def test_the_layout_runs_at_a_lower_priority_in_one_thread_with_the_callers_context() -> None:
    layout = LayoutThread(niceness=5)
    caller.set("slip of dossier 1")
    first = await layout.run(where_and_how_nice)
    second = await layout.run(where_and_how_nice)
    loop_nice = nice_of_this_thread()
    assert first[0] != threading.get_native_id()
    assert first[0] == second[0]  # one thread, lowered once
    assert first[1] == second[1] == min(loop_nice + 5, 19)
    assert first[2] == "slip of dossier 1"
    assert nice_of_this_thread() == loop_nice  # the event loop's thread keeps its own

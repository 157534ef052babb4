"""The one thread slips are laid out in, below the event loops in the scheduler's eyes.

Laying out a slip is 130-180 ms of CPU in Python, under the GIL: threads beside one another would only take
turns, so one is enough. A stream of receptions makes a stream of receipts, and rendered at full speed they
took a whole core from everything sharing the machine (on a two-core host, half of what the services that
make an acceptance visible had). A receipt may come a few seconds later; the acceptance should not. So the
thread lowers its own scheduling priority (Linux gives every thread a nice value of its own): whenever the
event loops want the CPU they have it first, and when they are idle the receipts take all of it.
"""

import asyncio
import contextvars
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

# How much lower than the process (0 the same, 19 the lowest): at 10 the kernel weighs it about a tenth
# of a thread at the process's own priority.
NICENESS = 10


def lower_own_priority(niceness: int) -> None:
    """The calling thread's nice value raised by `niceness` (a thread may always lower its own priority)."""
    if sys.platform == "linux":
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, os.getpriority(os.PRIO_PROCESS, thread) + niceness)


class LayoutThread:
    def __init__(self, niceness: int = NICENESS) -> None:
        # The executor starts its thread at the first call: a Slips built and never used starts none.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="slip-layout",
                                            initializer=lower_own_priority, initargs=(niceness,))

    async def run(self, function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """`function(*args, **kwargs)` in the thread, with the caller's context (its correlation id)."""
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, partial(context.run, function, *args, **kwargs))

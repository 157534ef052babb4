"""A closed-loop load: `concurrency` workers, each starting its next job as soon as its last one ends."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bench.stats import latency_summary, rate


@dataclass
class LoadResult:
    latencies: list[float] = field(default_factory=list)  # seconds, one per job that succeeded
    errors: int = 0
    elapsed: float = 0.0
    first_error: str | None = None

    def summary(self) -> dict[str, Any]:
        return {**latency_summary(self.latencies), "per_s": rate(len(self.latencies), self.elapsed),
                "errors": self.errors, "seconds": round(self.elapsed, 2),
                **({"first_error": self.first_error} if self.first_error else {})}


async def closed_loop(job: Callable[[int], Awaitable[object]], *, concurrency: int, count: int,
                      max_seconds: float) -> LoadResult:
    """Run jobs 0, 1, 2… until `count` have been started or `max_seconds` have passed, whichever is first."""
    result = LoadResult()
    started = time.perf_counter()
    deadline = started + max_seconds
    next_number = 0

    async def worker() -> None:
        nonlocal next_number
        while next_number < count and time.perf_counter() < deadline:
            number = next_number
            next_number += 1
            began = time.perf_counter()
            try:
                await job(number)
            except Exception as error:  # counted and shown, never hidden
                result.errors += 1
                result.first_error = result.first_error or f"{type(error).__name__}: {error}"[:200]
            else:
                result.latencies.append(time.perf_counter() - began)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.elapsed = time.perf_counter() - started
    return result

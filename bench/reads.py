"""Step 3, reads: the portal's three reads through the gateway at a fixed concurrency, with the read model
holding more and more dossiers; then the same JSON from a bare FastAPI app, the floor.

- status tab: `GET /v1/dossiers?status=received` (a citizen's tab: 5 of their 20 dossiers);
- search: `GET /v1/dossiers?q=giay phep` (accent-insensitive, over every status: about a third of them);
- detail: `GET /v1/dossiers/{id}` (one of the citizen's dossiers, with its history).

Each request comes from one of 64 citizens spread evenly over the data, each with their own token.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from bench.citizens import sign_in
from bench.dataset import PER_OWNER, SEARCH_WORDS, dossiers_of, owner_of
from bench.load import closed_loop
from bench.processes import cpu_used

ENDPOINTS = ("status_tab", "search", "detail")
READERS = 64
CpuMeter = Callable[[], dict[str, float]]


@dataclass(frozen=True)
class ReadsOptions:
    sizes: tuple[int, ...]
    concurrency: int
    requests: int  # per endpoint and size
    max_seconds: float  # per endpoint and size: the larger sizes stop on this


def request_of(endpoint: str, owner_number: int, number: int) -> tuple[str, dict[str, str]]:
    """The path and query parameters of the `number`th request of `endpoint` by this owner."""
    if endpoint == "status_tab":
        return "/v1/dossiers", {"status": "received"}
    if endpoint == "search":
        return "/v1/dossiers", {"q": SEARCH_WORDS}
    return f"/v1/dossiers/{dossiers_of(owner_number)[number % PER_OWNER]}", {}


class Readers:
    """Signed-in citizens spread over the first `size` dossiers, taking turns."""

    def __init__(self, tokens: list[tuple[int, dict[str, str]]]) -> None:
        self._tokens = tokens

    @classmethod
    async def sign_in(cls, http: httpx.AsyncClient, size: int) -> "Readers":
        owners = size // PER_OWNER
        numbers = sorted({owners * index // READERS for index in range(READERS)})
        return cls([(number, await sign_in(http, owner_of(number * PER_OWNER))) for number in numbers])

    def request(self, endpoint: str, number: int) -> tuple[str, dict[str, str], dict[str, str]]:
        owner_number, headers = self._tokens[number % len(self._tokens)]
        path, params = request_of(endpoint, owner_number, number // len(self._tokens))
        return path, params, headers


async def measure(http: httpx.AsyncClient, readers: Readers, options: ReadsOptions, cpu: CpuMeter,
                  bodies: dict[str, Any] | None = None) -> dict[str, Any]:
    """Each endpoint in turn, after a warm-up; `bodies` collects one answer of each (for the floor).

    Besides the latencies, the CPU time each process spent per request, this one ("client") included:
    unlike the latencies and the rates, it hardly moves when other work competes for the cores.
    """
    figures = {}

    def cpu_with_client() -> dict[str, float]:
        return {**cpu(), "client": time.process_time()}

    for endpoint in ENDPOINTS:
        async def read(number: int, endpoint: str = endpoint) -> None:
            path, params, headers = readers.request(endpoint, number)
            answer = await http.get(path, params=params, headers=headers)
            answer.raise_for_status()
            if bodies is not None:
                bodies.setdefault(endpoint, answer.json())

        await closed_loop(read, concurrency=options.concurrency, count=options.concurrency, max_seconds=5)
        before = cpu_with_client()
        result = await closed_loop(read, concurrency=options.concurrency, count=options.requests,
                                   max_seconds=options.max_seconds)
        used = cpu_used(before, cpu_with_client())
        served = len(result.latencies) + result.errors
        figures[endpoint] = {**result.summary(), "cpu_ms_per_request": {
            name: round(1000 * seconds / served, 2) if served else None for name, seconds in used.items()}}
    return figures


async def catch_up(query_url: str) -> float:
    """Have the query service take in what was just seeded (a journal's new lines are read before its
    next read, here the counts) and answer how long that took."""
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=query_url, timeout=600) as http:
        (await http.get("/status-counts")).raise_for_status()
    return round(time.perf_counter() - started, 2)

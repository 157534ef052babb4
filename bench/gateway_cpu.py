"""`python -m bench.gateway_cpu`: the gateway's own CPU per read, measured in one process, with a profile.

The bench's reads step sees the gateway as a process among others; this piece looks inside it. The query
service runs in a process of its own (its real app over a read model of `--size` bench dossiers), the
gateway's app runs here, driven through `httpx.ASGITransport` by the same three reads as `bench.reads`
(status tab, search, detail) from 64 signed-in citizens, and calls the query over loopback as it does
when deployed. This process's CPU time per request is then the gateway's plus the client's; the same
client against the floor's bare FastAPI app (bench.floor, answering the very bodies the gateway gave)
is measured in the same run, so the difference is what the gateway itself spends.

`--profile FILE` writes a cProfile of the gateway's measured loops (pstats format) and prints its top.
"""

import argparse
import asyncio
import cProfile
import dataclasses
import io
import json
import os
import pstats
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

import httpx

from bench import floor
from bench.load import closed_loop
from bench.reads import ENDPOINTS, Readers
from tests.support.processes import free_port

Read = Callable[[int], Awaitable[None]]


async def serve_query(port: int, size: int) -> None:
    """The query service's app over `size` bench dossiers, in memory, answering on `port`."""
    import uvicorn

    from bench.dataset import documents
    from services.query.adapters.read_model import DOSSIERS
    from services.query.bootstrap import bootstrap
    from services.query.settings import QuerySettings
    from shared.messaging.memory import InProcessBus
    from shared.runtime import service_app
    from shared.store.memory import MemoryStore

    store = MemoryStore("bench_gateway_cpu_query")
    service = bootstrap(QuerySettings(), InProcessBus(), store)
    for hook in service.on_start:
        await hook()
    await store.db[DOSSIERS].insert_many(list(documents(0, size)))
    server = uvicorn.Server(uvicorn.Config(service_app(service, manage_lifecycle=False), host="127.0.0.1",
                                           port=port, log_config=None, access_log=False))
    await server.serve()


def wait_ready(url: str, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the query stand-in exited")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the query stand-in did not answer")


async def loops(http: httpx.AsyncClient, readers: Readers, requests: int, concurrency: int,
                bodies: dict[str, Any] | None = None) -> dict[str, Read]:
    """One read job per endpoint; `bodies`, when given, collects the first answer of each."""
    jobs: dict[str, Read] = {}
    for endpoint in ENDPOINTS:
        async def read(number: int, endpoint: str = endpoint) -> None:
            path, params, headers = readers.request(endpoint, number)
            answer = await http.get(path, params=params, headers=headers)
            answer.raise_for_status()
            if bodies is not None:
                bodies.setdefault(endpoint, answer.json())
        jobs[endpoint] = read
    return jobs


async def cpu_per_request(jobs: dict[str, Read], requests: int, concurrency: int,
                          profiler: cProfile.Profile | None = None) -> dict[str, float]:
    """CPU ms of this process per request, each endpoint after a warm-up of its own."""
    figures = {}
    for endpoint, read in jobs.items():
        await closed_loop(read, concurrency=concurrency, count=concurrency * 4, max_seconds=30)
        if profiler:
            profiler.enable()
        before = time.process_time()
        result = await closed_loop(read, concurrency=concurrency, count=requests, max_seconds=600)
        used = time.process_time() - before
        if profiler:
            profiler.disable()
        if result.errors:
            raise RuntimeError(f"{endpoint}: {result.errors} errors, first {result.first_error}")
        figures[endpoint] = round(1000 * used / requests, 3)
    return figures


def lifespan_of(app: Any) -> AbstractAsyncContextManager[None]:
    context: AbstractAsyncContextManager[None] = app.router.lifespan_context(app)
    return context


@dataclass(frozen=True)
class Side:
    """The gateway's app with some of its per-request savings undone."""

    remembers_tokens: bool  # False: every token verified in full
    marks_sniffio: bool  # False: `sniffio` searched for along sys.path at each import


SIDES = {
    "tokens verified in full, sniffio searched": Side(False, False),
    "tokens verified in full": Side(False, True),
    "as built": Side(True, True),
}
AS_BUILT = "as built"


class Sides:
    """Switches one app between the SIDES, so that every side is measured in the same run, on the same data
    and over the same connections, round after round. A build without the savings (an older commit, to
    compare with) has the one side, as built."""

    def __init__(self, app: Any) -> None:
        self._app = app
        self._built = app.state.gateway
        self._sniffio_marked = "sniffio" in sys.modules and sys.modules["sniffio"] is None
        try:
            from services.gateway.adapters.verified_tokens import VerifiedTokens
        except ImportError:
            self.names = [AS_BUILT]
            return
        from services.gateway.adapters.tokens import TokenVerifier

        unremembering = TokenVerifier(self._built.settings,
                                      {name: client.keys for name, client in self._built.sign_in.items()},
                                      VerifiedTokens(max_entries=0))
        self._unremembering = dataclasses.replace(self._built, tokens=unremembering)
        self.names = list(SIDES)

    def use(self, name: str) -> None:
        side = SIDES[name]
        if name != AS_BUILT or len(self.names) > 1:
            self._app.state.gateway = self._built if side.remembers_tokens else self._unremembering
        if self._sniffio_marked:
            if side.marks_sniffio:
                sys.modules["sniffio"] = None  # type: ignore[assignment]
            else:
                sys.modules.pop("sniffio", None)


async def measure(query_url: str, size: int, requests: int, concurrency: int, rounds: int,
                  profile: str | None) -> dict[str, Any]:
    from services.gateway.bootstrap import create_app, over_network
    from services.gateway.settings import GatewaySettings
    from shared.logging import configure_logging

    settings = GatewaySettings(dev_tokens=True, query_url=query_url, log_level="INFO")
    configure_logging("gateway", settings.log_level)
    app = create_app(settings, over_network(settings))
    sides = Sides(app)
    async with lifespan_of(app), httpx.AsyncClient(transport=httpx.ASGITransport(app),
                                                   base_url="http://gateway") as http:
        readers = await Readers.sign_in(http, size)
        bodies: dict[str, Any] = {}
        await cpu_per_request(await loops(http, readers, 1, 1, bodies), 1, 1)
        bare = floor.create_app(bodies)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(bare), base_url="http://floor") as floor_http:
            gateway_jobs = await loops(http, readers, requests, concurrency)
            floor_jobs = await loops(floor_http, readers, requests, concurrency)
            profiler = cProfile.Profile() if profile else None
            runs: dict[str, list[dict[str, float]]] = {name: [] for name in [*sides.names, "floor"]}
            for _ in range(rounds):  # side by side, so that the machine's load falls on all alike
                for name in sides.names:
                    sides.use(name)
                    runs[name].append(await cpu_per_request(gateway_jobs, requests, concurrency,
                                                            profiler if name == AS_BUILT else None))
                runs["floor"].append(await cpu_per_request(floor_jobs, requests, concurrency))
    if profiler and profile:
        profiler.dump_stats(profile)
    best = {side: {endpoint: min(run[endpoint] for run in done) for endpoint in ENDPOINTS}
            for side, done in runs.items()}
    return {"size": size, "requests": requests, "concurrency": concurrency, "rounds": runs,
            "best_cpu_ms_per_request": best,
            "over_the_floor": {side: {endpoint: round(best[side][endpoint] - best["floor"][endpoint], 3)
                                      for endpoint in ENDPOINTS} for side in sides.names}}


def run(options: argparse.Namespace) -> dict[str, Any]:
    """The query stand-in started, the measure made, the stand-in stopped."""
    port = free_port()
    query_url = f"http://127.0.0.1:{port}"
    stand_in = subprocess.Popen([sys.executable, "-m", "bench.gateway_cpu", "--serve-query", str(port),
                                 "--size", str(options.size)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # The gateway logs a line a request, as deployed; written where it costs the same, read by no one.
    logs = open(os.devnull, "w")  # noqa: SIM115 (closed below)
    try:
        wait_ready(query_url, stand_in)
        sys.stderr = logs
        return asyncio.run(measure(query_url, options.size, options.requests, options.concurrency,
                                   options.rounds, options.profile))
    finally:
        sys.stderr = sys.__stderr__
        logs.close()
        stand_in.terminate()
        stand_in.wait(10)


def top_of(profile: str, lines: int) -> str:
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(lines)
    out.write("\n")
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(lines)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1000, help="dossiers in the read model")
    parser.add_argument("--requests", type=int, default=600, help="per endpoint and round")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3, help="gateway then floor, this many times; best kept")
    parser.add_argument("--profile", help="write a cProfile of the gateway's loops here")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--serve-query", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve_query:
        asyncio.run(serve_query(options.serve_query, options.size))
        return
    sys.stdout.write(json.dumps(run(options), indent=1) + "\n")
    if options.profile:
        sys.stdout.write(top_of(options.profile, options.top))


if __name__ == "__main__":
    main()

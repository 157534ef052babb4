"""When a dossier's new version becomes visible in the read model, as a reader asking the query service
would first see it.

The query service's internal `GET /dossiers/{id}/version?at_least=N&timeout=S` answers as soon as its read
model holds version N (its projection wakes the requests waiting on that dossier): the moment that answer
arrives is the visibility the bench records. The watcher asks about `LANES` dossiers at a time, taking them
in the order the commands were sent, so that watching costs the query service little (a few waiting
requests, each woken by its own dossier's events) while the watcher's own round trips do not pace what it
measures: one lane alone, a round trip after another, was the slowest part of a flat-out pass (bench/
README.md). A dossier already visible when its turn comes (others before it finished later) is recorded
when its answer arrives: an upper bound, later by at most the time its lane spent on the ones before it.
"""

import asyncio
import time

import httpx

# The query service caps a wait at 5 s; a dossier is given up on after this long in all.
GIVE_UP_SECONDS = 60.0
LANES = 8


class VisibilityWatcher:
    def __init__(self, query_url: str) -> None:
        self._http = httpx.AsyncClient(base_url=query_url, timeout=10.0)
        self._pending: asyncio.Queue[tuple[str, int] | None] = asyncio.Queue()
        self.visible_at: dict[str, float] = {}  # dossier id -> perf_counter when it was seen
        self.never_seen: list[str] = []
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._watch()) for _ in range(LANES)]

    def expect(self, dossier_id: str, version: int) -> None:
        """Watch for `version` of the dossier (after everything expected before it)."""
        self._pending.put_nowait((dossier_id, version))

    async def finish(self) -> None:
        """Wait until every dossier expected so far is seen or given up on, then stop watching."""
        for _ in self._tasks:
            self._pending.put_nowait(None)
        await asyncio.gather(*self._tasks)
        await self._http.aclose()

    async def _watch(self) -> None:
        while (item := await self._pending.get()) is not None:
            dossier_id, version = item
            if await self._seen(dossier_id, version):
                self.visible_at[dossier_id] = time.perf_counter()
            else:
                self.never_seen.append(dossier_id)

    async def _seen(self, dossier_id: str, version: int) -> bool:
        deadline = time.perf_counter() + GIVE_UP_SECONDS
        while time.perf_counter() < deadline:
            answer = await self._http.get(f"/dossiers/{dossier_id}/version",
                                          params={"at_least": version, "timeout": 5})
            answer.raise_for_status()
            if answer.json()["reached"]:
                return True
        return False

"""Read-your-writes across services: answer once a service holds at least a given version of a dossier.

The gateway asks each service a command's effect must reach (the read model, and the service a dossier
was handed to) before it answers the command, so the caller's next read or command finds it there.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Path, Query

CurrentVersion = Callable[[str], Awaitable[int | None]]
POLL_SECONDS = 0.02
MAX_WAIT_SECONDS = 5.0


class Wakeup(Protocol):
    """A count of the changes this process applied, and a wait for a change to a dossier (the query's
    projection).

    A waiter notes `applied` before it reads the version and waits past it, so that a change applied
    between the read and the wait still wakes it.
    """

    @property
    def applied(self) -> int: ...

    async def wait_past(self, dossier_id: str, seen: int, within: float) -> None: ...


async def wait_for_version(
    current: CurrentVersion, dossier_id: str, at_least: int, within: float, *, wakeup: Wakeup | None = None,
) -> int | None:
    """The dossier's version as soon as it is `at_least`, or whatever it is after `within` seconds.

    With a `wakeup`, a change this process applies ends the pause at once; the version is still read
    every `POLL_SECONDS`, for the changes other replicas apply.
    """
    deadline = time.monotonic() + min(within, MAX_WAIT_SECONDS)
    while True:
        seen = wakeup.applied if wakeup else 0
        version = await current(dossier_id)
        remaining = deadline - time.monotonic()
        if (version is not None and version >= at_least) or remaining <= 0:
            return version
        if wakeup is None:
            await asyncio.sleep(POLL_SECONDS)
        else:
            await wakeup.wait_past(dossier_id, seen, min(POLL_SECONDS, remaining))


def version_router(current: CurrentVersion) -> APIRouter:
    """`GET /dossiers/{id}/version?at_least=N&timeout=S` → `{id, version, reached}`."""
    router = APIRouter(tags=["consistency"])

    @router.get("/dossiers/{dossier_id}/version")
    async def dossier_version(
        dossier_id: Annotated[str, Path(max_length=64)], at_least: Annotated[int, Query(ge=1)],
        within: Annotated[float, Query(alias="timeout", ge=0, le=MAX_WAIT_SECONDS)] = 2.0,
    ) -> dict[str, Any]:
        version = await wait_for_version(current, dossier_id, at_least, within)
        return {"id": dossier_id, "version": version, "reached": version is not None and version >= at_least}

    return router

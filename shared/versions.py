"""Read-your-writes across services: answer once a service holds at least a given version of a dossier.

The gateway asks each service a command's effect must reach (the read model, and the service a dossier
was handed to) before it answers the command, so the caller's next read or command finds it there.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

CurrentVersion = Callable[[str], Awaitable[int | None]]
POLL_SECONDS = 0.02
MAX_WAIT_SECONDS = 5.0


async def wait_for_version(current: CurrentVersion, dossier_id: str, at_least: int, within: float) -> int | None:
    """The dossier's version as soon as it is `at_least`, or whatever it is after `within` seconds."""
    deadline = time.monotonic() + min(within, MAX_WAIT_SECONDS)
    while True:
        version = await current(dossier_id)
        if (version is not None and version >= at_least) or time.monotonic() >= deadline:
            return version
        await asyncio.sleep(POLL_SECONDS)


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

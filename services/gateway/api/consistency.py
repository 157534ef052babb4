"""Read-your-writes: a command's answer waits until the read model shows what the command did.

The wait is a courtesy, never a condition of the answer. Once the owning service has accepted a command
its outcome is the answer (2xx, with the new version), whatever the read model does meanwhile: a 5xx
from the gateway always means that nothing changed. When the wait ends without the read model (or the
service the dossier was handed to) showing the command, the answer says so in `X-Read-Model: behind`.
"""

import asyncio
from collections.abc import Sequence
from typing import Any

from fastapi import Response

from services.gateway.adapters.backends import Backends, ServiceClient, UpstreamError, UpstreamUnavailable
from services.gateway.schemas import CommandAnswer
from services.gateway.settings import GatewaySettings
from shared.logging import get_logger

log = get_logger(__name__)

READ_MODEL_HEADER = "X-Read-Model"
BEHIND = "behind"
# Beyond the wait asked of the services: the time their answer takes to travel back.
ANSWER_MARGIN_SECONDS = 1.0


async def wait_until_reached(backends: Backends, settings: GatewaySettings, dossier_id: str, version: int,
                             services: Sequence[str] = ("query",)) -> bool:
    """Hold on (bounded by the gateway's own clock) until each of `services` holds `version` of the dossier.

    True when all did; False when one did not in time, was stalled, unreachable or failed (logged).
    Never raises for them: the command this follows has happened already.
    """
    async def reached(client: ServiceClient) -> bool:
        try:
            waited = await client.call("GET", f"/dossiers/{dossier_id}/version", params={
                "at_least": version, "timeout": settings.read_your_writes_seconds})
        except (UpstreamUnavailable, UpstreamError) as error:
            log.warning("service_lagging", service=client.name, dossier_id=dossier_id, version=version,
                        error_type=type(error).__name__)
            return False
        if not waited.get("reached"):
            log.warning("service_lagging", service=client.name, dossier_id=dossier_id, version=version)
            return False
        return True

    waits = [asyncio.ensure_future(reached(backends.of(name))) for name in services]
    done, late = await asyncio.wait(waits, timeout=settings.read_your_writes_seconds + ANSWER_MARGIN_SECONDS)
    for wait in late:
        wait.cancel()
    if late:
        log.warning("service_stalled", services=len(late), dossier_id=dossier_id, version=version)
    return not late and all(wait.result() for wait in done)


def mark_read_model(response: Response, version: int, reached: bool) -> None:
    """The answer's ETag (the new version), and `X-Read-Model: behind` when the next read may not show it."""
    response.headers["ETag"] = f'"{version}"'
    if not reached:
        response.headers[READ_MODEL_HEADER] = BEHIND


async def read_your_write(backends: Backends, settings: GatewaySettings, answer: dict[str, Any],
                          response: Response, *, also: Sequence[str] = ()) -> CommandAnswer:
    """The command's answer once the caller's next read shows it, and the next command finds the dossier
    where the command handed it (`also`: intake after a hand-back, processing after a submission)."""
    reached = await wait_until_reached(backends, settings, answer["id"], answer["version"], ("query", *also))
    mark_read_model(response, answer["version"], reached)
    return CommandAnswer(**answer)

"""Read-your-writes: a command's answer waits until the read model shows what the command did."""

import asyncio
from collections.abc import Sequence
from typing import Any

from fastapi import Response

from services.gateway.adapters.backends import Backends, ServiceClient
from services.gateway.schemas import CommandAnswer
from services.gateway.settings import GatewaySettings
from shared.logging import get_logger

log = get_logger(__name__)


async def wait_until_reached(backends: Backends, settings: GatewaySettings, dossier_id: str, version: int,
                             services: Sequence[str] = ("query",)) -> None:
    """Hold on (bounded) until each of `services` holds `version` of the dossier; past the bound, log it."""
    async def reached(client: ServiceClient) -> None:
        waited = await client.call("GET", f"/dossiers/{dossier_id}/version", params={
            "at_least": version, "timeout": settings.read_your_writes_seconds})
        if not waited.get("reached"):
            log.warning("service_lagging", service=client.name, dossier_id=dossier_id, version=version)

    await asyncio.gather(*(reached(backends.of(name)) for name in services))


async def read_your_write(backends: Backends, settings: GatewaySettings, answer: dict[str, Any],
                          response: Response, *, also: Sequence[str] = ()) -> CommandAnswer:
    """The command's answer once the caller's next read shows it, and the next command finds the dossier
    where the command handed it (`also`: intake after a hand-back, processing after a submission)."""
    await wait_until_reached(backends, settings, answer["id"], answer["version"], ("query", *also))
    response.headers["ETag"] = f'"{answer["version"]}"'
    return CommandAnswer(**answer)

"""The slips service's internal API, where the sender fetches the signed PDF a message carries (over the
network, or in-process when embedded: the same httpx code either way)."""

from urllib.parse import quote

import httpx

from shared.correlation import HEADER, current_correlation_id


class SlipsClient:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    async def fetch(self, dossier_id: str, kind: str, slip_id: str) -> bytes:
        response = await self._http.get(f"/dossiers/{quote(dossier_id, safe='')}/slips/{kind}",
                                        params={"for_staff": "true", "slip_id": slip_id},
                                        headers={HEADER: current_correlation_id() or ""})
        response.raise_for_status()  # not there yet, or the service is away: the delivery is tried later
        return response.content

    async def close(self) -> None:
        await self._http.aclose()

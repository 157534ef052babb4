"""The slips service's internal API, where the sender fetches the signed PDF a message carries: over the
network, or through the client given (in-process when embedded: the same httpx code either way)."""

from urllib.parse import quote

import httpx

from shared.correlation import HEADER, current_correlation_id


class SlipsClient:
    def __init__(self, http: httpx.AsyncClient | None = None, *, base_url: str = "", timeout: float = 30.0) -> None:
        # The client given, or one of its own made at the first fetch (on the running loop) and kept: a fetch
        # is one per acceptance mail, and a new client makes an SSL context, plain HTTP or not (about a third
        # of notify's CPU when it made one per fetch).
        self._http = http
        self._base_url = base_url
        self._timeout = timeout

    async def fetch(self, dossier_id: str, kind: str, slip_id: str) -> bytes:
        if self._http is None:
            self._http = httpx.AsyncClient(base_url=self._base_url, timeout=self._timeout)
        return await self._fetch(self._http, dossier_id, kind, slip_id)

    @staticmethod
    async def _fetch(http: httpx.AsyncClient, dossier_id: str, kind: str, slip_id: str) -> bytes:
        response = await http.get(f"/dossiers/{quote(dossier_id, safe='')}/slips/{kind}",
                                  params={"for_staff": "true", "slip_id": slip_id},
                                  headers={HEADER: current_correlation_id() or ""})
        response.raise_for_status()  # not there yet, or the service is away: the delivery is tried later
        return response.content

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()

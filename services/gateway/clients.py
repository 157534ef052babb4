"""The gateway's doors to the services' internal APIs: over the network, or in-process when embedded.

The same httpx client code serves both ways to run: the distributed run gives it a base URL, the
embedded run an `httpx.ASGITransport` onto the service's app in the same process.
"""

from dataclasses import dataclass
from typing import Any

import httpx

from shared.correlation import HEADER, current_correlation_id
from shared.logging import get_logger

log = get_logger(__name__)


class UpstreamError(Exception):
    """A service answered with an error the gateway passes on unchanged (its shape is the public one)."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


class UpstreamUnavailable(Exception):
    """A service did not answer; the caller gets 503 and can try again."""


class ServiceClient:
    def __init__(self, name: str, http: httpx.AsyncClient) -> None:
        self.name = name
        self.http = http

    async def call(self, method: str, path: str, *, json: Any = None,
                   params: dict[str, Any] | None = None) -> Any:
        """Send one request carrying the correlation id; answer the JSON body or raise UpstreamError."""
        headers = {HEADER: current_correlation_id() or ""}
        clean_params = {key: value for key, value in (params or {}).items() if value is not None}
        try:
            response = await self.http.request(method, path, json=json, params=clean_params, headers=headers)
        except httpx.TransportError as error:
            log.warning("upstream_unreachable", service=self.name, error_type=type(error).__name__)
            raise UpstreamUnavailable(self.name) from None
        body = response.json() if response.content else None
        if response.status_code >= 400:
            raise UpstreamError(response.status_code, body)
        return body

    async def ready(self) -> bool:
        try:
            return (await self.http.get("/readyz")).status_code == 200
        except httpx.TransportError:
            return False

    async def close(self) -> None:
        await self.http.aclose()


@dataclass
class Backends:
    intake: ServiceClient
    query: ServiceClient

    @classmethod
    def over_network(cls, intake_url: str, query_url: str, timeout: float = 10.0) -> "Backends":
        return cls(ServiceClient("intake", httpx.AsyncClient(base_url=intake_url, timeout=timeout)),
                   ServiceClient("query", httpx.AsyncClient(base_url=query_url, timeout=timeout)))

    @classmethod
    def in_process(cls, intake_app: Any, query_app: Any) -> "Backends":
        def client(app: Any, name: str) -> httpx.AsyncClient:
            return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{name}")
        return cls(ServiceClient("intake", client(intake_app, "intake")),
                   ServiceClient("query", client(query_app, "query")))

    async def close(self) -> None:
        await self.intake.close()
        await self.query.close()

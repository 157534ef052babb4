"""The gateway's doors to the services' internal APIs: over the network, or in-process when embedded.

The same httpx client code serves both ways to run: the distributed run gives it a base URL, the
embedded run an `httpx.ASGITransport` onto the service's app in the same process.
"""

from collections.abc import AsyncIterable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from services.gateway.adapters.command_keys import key_header
from services.gateway.adapters.streaming import StreamingASGITransport
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

    async def call(self, method: str, path: str, *, json: Any = None, params: dict[str, Any] | None = None,
                   data: dict[str, Any] | None = None, files: dict[str, Any] | None = None) -> Any:
        """Send one request carrying the correlation id; answer the JSON body or raise UpstreamError."""
        response = await self.call_raw(method, path, json=json, params=params, data=data, files=files)
        return response.json() if response.content else None

    async def call_raw(self, method: str, path: str, *, json: Any = None, params: dict[str, Any] | None = None,
                       data: dict[str, Any] | None = None, files: dict[str, Any] | None = None) -> httpx.Response:
        """The whole answer (for bodies that are not JSON, such as a result document); errors raised.

        A command carries the key the caller sent it under, scoped (`command_keys`), for its owner to apply
        it once."""
        headers = {HEADER: current_correlation_id() or "", **key_header(method)}
        try:
            response = await self.http.request(method, path, json=json, params=_present(params), data=data,
                                               files=files, headers=headers)
        except httpx.TransportError as error:
            log.warning("upstream_unreachable", service=self.name, error_type=type(error).__name__)
            raise UpstreamUnavailable(self.name) from None
        if response.status_code >= 400:
            raise UpstreamError(response.status_code, response.json() if response.content else None)
        return response

    async def pass_through(self, method: str, path: str, *, params: Sequence[tuple[str, str]] | None = None,
                           content: bytes | None = None, content_type: str | None = None,
                           accept: str | None = None) -> httpx.Response:
        """The answer whatever its status (a page, a redirect, a provider's reply), for the caller to pass on
        as it is; only a service that does not answer raises."""
        headers = {HEADER: current_correlation_id() or ""}
        if content_type:
            headers["content-type"] = content_type
        if accept:
            headers["accept"] = accept
        try:
            return await self.http.request(method, path, params=tuple(params or ()), content=content,
                                           headers=headers)
        except httpx.TransportError as error:
            log.warning("upstream_unreachable", service=self.name, error_type=type(error).__name__)
            raise UpstreamUnavailable(self.name) from None

    async def send_stream(self, method: str, path: str, content: AsyncIterable[bytes], *,
                          params: dict[str, Any] | None = None, content_type: str | None = None) -> Any:
        """Send a body as it arrives, chunk by chunk (a document upload); answer the JSON body."""
        headers = {HEADER: current_correlation_id() or "", **key_header(method)}
        if content_type:
            headers["content-type"] = content_type
        try:
            response = await self.http.request(method, path, content=content, params=_present(params),
                                               headers=headers)
        except httpx.TransportError as error:
            log.warning("upstream_unreachable", service=self.name, error_type=type(error).__name__)
            raise UpstreamUnavailable(self.name) from None
        if response.status_code >= 400:
            raise UpstreamError(response.status_code, response.json() if response.content else None)
        return response.json() if response.content else None

    async def open_stream(self, path: str, *, params: dict[str, Any] | None = None) -> httpx.Response:
        """A GET whose body is read as it comes (a document download); the caller closes it (`aclose`)."""
        request = self.http.build_request("GET", path, params=_present(params),
                                          headers={HEADER: current_correlation_id() or ""})
        try:
            response = await self.http.send(request, stream=True)
        except httpx.TransportError as error:
            log.warning("upstream_unreachable", service=self.name, error_type=type(error).__name__)
            raise UpstreamUnavailable(self.name) from None
        if response.status_code >= 400:
            body = await response.aread()
            await response.aclose()
            raise UpstreamError(response.status_code, response.json() if body else None)
        return response

    async def ready(self) -> bool:
        try:
            return (await self.http.get("/readyz")).status_code == 200
        except httpx.TransportError:
            return False

    async def close(self) -> None:
        await self.http.aclose()


def _present(params: dict[str, Any] | None) -> dict[str, Any]:
    """The parameters that have a value: None means "not given", never the text "None"."""
    return {key: value for key, value in (params or {}).items() if value is not None}


@dataclass
class Backends:
    intake: ServiceClient
    processing: ServiceClient
    query: ServiceClient
    payment: ServiceClient
    notify: ServiceClient
    slips: ServiceClient

    @classmethod
    def over_network(cls, urls: dict[str, str], timeout: float = 10.0) -> "Backends":
        """`urls`: each service's name to its base URL."""
        return cls(**{name: ServiceClient(name, httpx.AsyncClient(base_url=urls[name], timeout=timeout))
                      for name in SERVICES})

    @classmethod
    def in_process(cls, apps: dict[str, Any]) -> "Backends":
        """`apps`: each service's name to its ASGI app in this process."""
        # Streamed like a network answer, so that a file passes through without being held whole.
        return cls(**{name: ServiceClient(name, httpx.AsyncClient(
            transport=StreamingASGITransport(apps[name], client=("127.0.0.1", 0)), base_url=f"http://{name}"))
            for name in SERVICES})

    def all(self) -> list[ServiceClient]:
        return [self.intake, self.processing, self.query, self.payment, self.notify, self.slips]

    def of(self, service: str) -> ServiceClient:
        """The client of the service named `service` (a `Holder` names the service holding a status)."""
        client = getattr(self, service, None)
        if not isinstance(client, ServiceClient):
            raise KeyError(service)
        return client

    async def close(self) -> None:
        for client in self.all():
            await client.close()


SERVICES = ("intake", "processing", "query", "payment", "notify", "slips")

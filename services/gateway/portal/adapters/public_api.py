"""The portal's client of the public `/v1` API: the same contract any portal frontend uses.

The portal is served by the gateway itself, so it calls the API in-process through `httpx.ASGITransport`
on the gateway app, carrying the signed-in person's token and the browser's address (the lookup's rate
limit and the payment provider see the real client, not the portal); files are downloaded through a
transport of its own that passes them on as they are read (adapters/streaming.py).
"""

from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
from fastapi import Request

from services.gateway.adapters.streaming import StreamingASGITransport
from services.gateway.portal.form_keys import command_key
from services.gateway.portal.session import session_token
from shared.correlation import HEADER, current_correlation_id


class ApiError(Exception):
    """The API refused: its status, machine code, Vietnamese message and, on validation errors, the fields."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {code}")
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}


class SignInRequired(Exception):
    """No session, or the API no longer accepts its token: the browser goes to the sign-in page."""


class PortalApi:
    """One browser request's door to the API; raises `ApiError` for refusals, `SignInRequired` on 401."""

    def __init__(self, http: httpx.AsyncClient, token: str | None, downloads: httpx.AsyncClient | None = None,
                 form_key: Callable[[], str | None] = lambda: None) -> None:
        self.http = http
        self.token = token
        self.downloads = downloads or http  # the client whose answers are streamed (`open_stream`)
        # The one-time key of the form being answered, once checked (form_keys.py): its commands carry it.
        self.form_key = form_key
        # How many commands of each method and path this request has sent: one form may send several to the same
        # address (a file each, for a document's upload), each its own command with a key of its own.
        self._sent: Counter[tuple[str, str]] = Counter()

    async def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return (await self.send("GET", path, params=params)).json()

    async def call(self, method: str, path: str, *, json: Any = None, headers: dict[str, str] | None = None,
                   data: dict[str, Any] | None = None, files: dict[str, Any] | None = None) -> Any:
        answer = await self.send(method, path, json=json, headers=headers, data=data, files=files)
        return answer.json() if answer.content else None

    async def send(self, method: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None,
                   headers: dict[str, str] | None = None, data: dict[str, Any] | None = None,
                   files: dict[str, Any] | None = None) -> httpx.Response:
        """The whole answer (a result document is not JSON); refusals raised."""
        clean = {key: value for key, value in (params or {}).items() if value not in (None, "")}
        form_key = self.form_key()
        if form_key is not None and method.upper() != "GET":
            occurrence = self._sent[(method.upper(), path)]
            self._sent[(method.upper(), path)] += 1
            headers = {"Idempotency-Key": command_key(form_key, method, path, occurrence), **(headers or {})}
        # None, not {}: httpx would replace a query already in `path` with an empty one.
        answer = await self.http.request(method, path, params=clean or None, json=json, headers=self._headers(headers),
                                         data=data, files=files)
        return _accepted(answer)

    async def open_stream(self, path: str) -> httpx.Response:
        """A GET whose body is passed on as it is read (a file download); the caller closes it (`aclose`).

        A refusal is read whole (it is a small JSON body) and raised like any other.
        """
        answer = await self.downloads.send(self.downloads.build_request("GET", path, headers=self._headers()),
                                           stream=True)
        if answer.status_code >= 400:
            await answer.aread()
            await answer.aclose()
        return _accepted(answer)

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        sent = {HEADER: current_correlation_id() or "", **(extra or {})}
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        return sent


def _accepted(answer: httpx.Response) -> httpx.Response:
    if answer.status_code == 401:
        raise SignInRequired()
    if answer.status_code >= 400:
        raise _refusal(answer)
    return answer


def _refusal(answer: httpx.Response) -> ApiError:
    try:
        error = answer.json().get("error", {})
    except ValueError:
        error = {}
    return ApiError(answer.status_code, str(error.get("code", "error")),
                    str(error.get("message") or "Hệ thống đang bận, vui lòng thử lại."), error.get("fields"))


async def portal_api(request: Request) -> AsyncIterator[PortalApi]:
    """The API as the person at this browser request, for as long as the request lasts."""
    client = (request.client.host, request.client.port) if request.client else ("127.0.0.1", 0)
    # An error inside the API comes back as its 500 answer, for the page to say so, not as an exception.
    transport = httpx.ASGITransport(app=request.app, client=client, raise_app_exceptions=False)
    # httpx's transport keeps a whole answer before handing it on: files go through one that streams.
    streamed = StreamingASGITransport(request.app, client)
    async with (httpx.AsyncClient(transport=transport, base_url="http://gateway", timeout=30) as http,
                httpx.AsyncClient(transport=streamed, base_url="http://gateway", timeout=30) as downloads):
        yield PortalApi(http, session_token(request), downloads,
                        form_key=lambda: getattr(request.state, "form_key", None))

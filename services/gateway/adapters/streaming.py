"""An in-process transport that hands an answer's body on as the app sends it: the embedded run's calls from
the gateway to the services, and the portal's calls to the API.

httpx's `ASGITransport` runs the app to its end and keeps every chunk of the body before answering, so a
downloaded file would sit whole in memory on its way from the service to the browser. This
one answers as soon as the app starts its response and passes each chunk on as it comes, a few at most
waiting: a slow browser slows the API's read instead of filling memory. The request's body is passed to the
app as it is read, as httpx's transport does.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, MutableMapping
from typing import Any

import httpx
from starlette.types import ASGIApp

from shared.logging import get_logger

log = get_logger(__name__)

# Chunks read from the app and not yet taken by the reader.
WAITING_CHUNKS = 4
# How long an app given up on mid-answer has to stop by itself before it is cancelled.
GIVING_UP_SECONDS = 5.0
_END = b""  # after the last chunk (the app never sends an empty chunk on: those are skipped)


class StreamingASGITransport(httpx.AsyncBaseTransport):
    """Requests to an ASGI app in the same process, the answers' bodies streamed (`client`: who asks)."""

    def __init__(self, app: ASGIApp, client: tuple[str, int]) -> None:
        self.app = app
        self.client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": request.method,
            "headers": [(name.lower(), value) for name, value in request.headers.raw],
            "scheme": request.url.scheme, "path": request.url.path,
            "raw_path": request.url.raw_path.split(b"?")[0], "query_string": request.url.query,
            "server": (request.url.host, request.url.port), "client": self.client, "root_path": "",
        }
        body = request.stream.__aiter__()
        body_sent = False
        closed = asyncio.Event()  # the reader is done with the answer: read to its end, or given up
        started: asyncio.Future[tuple[int, list[tuple[bytes, bytes]]]] = asyncio.get_running_loop().create_future()
        chunks: asyncio.Queue[bytes] = asyncio.Queue(WAITING_CHUNKS)

        async def receive() -> dict[str, Any]:
            nonlocal body_sent
            if body_sent:
                await closed.wait()
                return {"type": "http.disconnect"}
            try:
                chunk = await body.__anext__()
            except StopAsyncIteration:
                body_sent = True
                return {"type": "http.request", "body": b"", "more_body": False}
            return {"type": "http.request", "body": chunk, "more_body": True}

        ended = False  # the end is in the queue

        async def send(message: MutableMapping[str, Any]) -> None:
            nonlocal ended
            if message["type"] == "http.response.start" and not started.done():
                started.set_result((message["status"], list(message.get("headers", []))))
            elif message["type"] == "http.response.body" and not ended:
                if message.get("body") and request.method != "HEAD":
                    await chunks.put(bytes(message["body"]))
                if not message.get("more_body", False):
                    ended = True
                    await chunks.put(_END)

        async def run() -> None:
            # Cancelled (the reader gave up), it just stops: nobody waits for the end any more.
            try:
                await self.app(scope, receive, send)
            except Exception as error:
                # As httpx's transport with raise_app_exceptions=False: the page says the service failed.
                log.warning("in_process_call_failed", error_type=type(error).__name__)
            if not started.done():
                started.set_result((500, []))
            if not ended:
                await chunks.put(_END)  # an answer cut short ends where it stopped (its length says so)

        task = asyncio.create_task(run())
        try:
            status, headers = await started
        except BaseException:
            task.cancel()  # this request was given up before its answer started
            raise
        return httpx.Response(status, headers=headers, stream=_Body(chunks, task, closed))


class _Body(httpx.AsyncByteStream):
    def __init__(self, chunks: asyncio.Queue[bytes], task: asyncio.Task[None], closed: asyncio.Event) -> None:
        self.chunks = chunks
        self.task = task
        self.closed = closed
        self.ended = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while not self.ended:
            chunk = await self.chunks.get()
            if chunk == _END:
                self.ended = True
            else:
                yield chunk

    async def aclose(self) -> None:
        # The app hears that the browser went away (its streaming answer stops and cleans up after itself);
        # one that does not stop soon is cancelled.
        self.closed.set()
        if self.ended:
            await self.task
            return
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation of the caller.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(GIVING_UP_SECONDS):
                await self.task
        if not self.task.done():
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

"""The portal's streaming transport: an answer's body reaches the reader while the app is still sending it,
its request's body reaches the app, a reader that gives up stops the app, and a failing app is a 500."""

import asyncio
from collections.abc import MutableMapping
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from services.gateway.adapters import streaming
from services.gateway.adapters.streaming import StreamingASGITransport

Receive = Any
Send = Any


def client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=StreamingASGITransport(app, ("10.0.0.7", 5000)), base_url="http://gateway")


async def test_each_chunk_is_read_while_the_app_is_still_sending() -> None:
    go_on = asyncio.Event()
    seen: dict[str, Any] = {}

    async def app(scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        seen["client"], seen["path"] = scope["client"], scope["path"]
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/pdf")]})
        await send({"type": "http.response.body", "body": b"first", "more_body": True})
        await go_on.wait()  # the second chunk only once the reader has the first
        await send({"type": "http.response.body", "body": b"second", "more_body": False})

    async with client(app) as http, http.stream("GET", "/v1/dossiers/d/documents/don/f") as answer:
        chunks = answer.aiter_raw()
        assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
        assert await anext(chunks) == b"first"
        go_on.set()
        assert [chunk async for chunk in chunks] == [b"second"]
    assert seen == {"client": ("10.0.0.7", 5000), "path": "/v1/dossiers/d/documents/don/f"}


async def test_the_request_body_reaches_the_app() -> None:
    async def echo(scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await send({"type": "http.response.body", "body": body})

    async with client(echo) as http:
        answer = await http.post("/echo", content=b"x" * 200_000)
    assert answer.status_code == 201 and answer.content == b"x" * 200_000


async def test_a_reader_that_gives_up_stops_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    # This app never listens for the disconnection: it is cancelled once the grace is over.
    monkeypatch.setattr(streaming, "GIVING_UP_SECONDS", 0.05)
    stopped = asyncio.Event()

    async def endless(scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        try:
            while True:
                await send({"type": "http.response.body", "body": b"." * 1024, "more_body": True})
        finally:
            stopped.set()

    async with client(endless) as http, http.stream("GET", "/big") as answer:
        async for _ in answer.aiter_raw():
            break
    await asyncio.wait_for(stopped.wait(), timeout=10)


async def test_a_streaming_response_given_up_on_stops_by_itself_and_cleans_up() -> None:
    """What the API's downloads are: Starlette hears the disconnection, stops and runs its background task."""
    cleaned = asyncio.Event()
    app = FastAPI()

    async def chunks() -> Any:
        while True:
            yield b"." * 1024
            await asyncio.sleep(0)

    @app.get("/file")
    async def file() -> StreamingResponse:
        return StreamingResponse(chunks(), background=BackgroundTask(cleaned.set))

    async with client(app) as http, http.stream("GET", "/file") as answer:
        async for _ in answer.aiter_raw():
            break
    assert cleaned.is_set()


@pytest.mark.parametrize("when", ["before", "during"])
async def test_a_failing_app_answers_500_or_ends_short(when: str) -> None:
    async def failing(scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
        if when == "during":
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"part", "more_body": True})
        raise RuntimeError("intake went away")

    async with client(failing) as http:
        answer = await http.get("/file")
    assert (answer.status_code, answer.content) == ((500, b"") if when == "before" else (200, b"part"))

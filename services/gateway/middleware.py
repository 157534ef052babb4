"""ASGI middleware of the public door: request body cap, correlation id, and one log line per request."""

import json
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.correlation import HEADER, bind_correlation_id
from shared.http_errors import error_body
from shared.logging import get_logger

log = get_logger("gateway.http")


class BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    """Refuse request bodies over `max_bytes` with 413, by declared length or by what actually arrives."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _send_413(send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _send_413(send)


async def _send_413(send: Send) -> None:
    body = json.dumps(error_body("payload_too_large", "Dữ liệu gửi lên quá lớn."), ensure_ascii=False)
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body.encode()})


class CorrelationAndAccessLog:
    """Bind the caller's correlation id (or a new one), echo it, and log the request without its query."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        incoming = headers.get(HEADER.lower().encode()) or headers.get(b"x-request-id")
        correlation_id = bind_correlation_id(incoming.decode("latin-1") if incoming else None)
        started = time.perf_counter()
        status: dict[str, Any] = {"code": 500}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message["headers"] = [*message.get("headers", []),
                                      (HEADER.lower().encode(), correlation_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            # The path only: query strings may carry a citizen's search words (names, id numbers).
            route = scope.get("route")
            log.info("http_request", method=scope["method"],
                     path=getattr(route, "path", scope["path"]), status=status["code"],
                     duration_ms=round((time.perf_counter() - started) * 1000, 1))

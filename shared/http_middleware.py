"""HTTP middleware every service's app shares: the correlation id, and one log line per request."""

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.correlation import HEADER, bind_correlation_id
from shared.logging import get_logger

log = get_logger("http")


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

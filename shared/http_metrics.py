"""HTTP middleware that counts and times every request for `/metrics`, by route template."""

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.metrics import HTTP_DURATION, HTTP_REQUESTS

UNMATCHED = "unmatched"


class RequestMetrics:
    """`hoso_http_requests_total` and `hoso_http_request_duration_seconds` for one service's app."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: dict[str, Any] = {"code": 500}

        async def send_with_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_with_status)
        finally:
            # The route's template, set by the router as it matched: never the raw path, whose ids and
            # free text would make a label value per dossier (and could carry personal data).
            route = getattr(scope.get("route"), "path", UNMATCHED)
            HTTP_REQUESTS.labels(self.service, scope["method"], route, str(status["code"])).inc()
            HTTP_DURATION.labels(self.service, scope["method"], route).observe(time.perf_counter() - started)

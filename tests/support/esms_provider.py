"""eSMS.vn's send API played on loopback (FastAPI under uvicorn) for the tests: it answers as eSMS's
documentation says (`CodeResult` 100 taken, 101 wrong keys, 124 a RequestId it already took) and counts
what it received and what it would have delivered (once per RequestId, as eSMS does).

`answer_code` makes it answer every new request with that code (an error of its own, say 103); `slow`
makes it take a new request, count it as delivered, and answer only after `slow_seconds`, longer than
the client waits: the client's timeout after the provider took the message."""

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from fastapi import FastAPI, Request

from tests.support.processes import free_port
from tests.support.waiting import eventually

API_KEY, SECRET_KEY = "test-api-key", "test-secret-key"
SEND_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"


@dataclass
class FakeEsms:
    port: int = field(default_factory=free_port)
    received: list[dict[str, Any]] = field(default_factory=list)  # every request body, in order
    delivered: dict[str, dict[str, Any]] = field(default_factory=dict)  # by RequestId: what reached a phone
    answer_code: int | None = None
    slow: bool = False
    slow_seconds: float = 3.0
    _server: uvicorn.Server | None = None
    _task: "asyncio.Task[None] | None" = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{SEND_PATH}"

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post(SEND_PATH)
        async def send(request: Request) -> dict[str, Any]:
            body: dict[str, Any] = await request.json()
            self.received.append(body)
            if (body.get("ApiKey"), body.get("SecretKey")) != (API_KEY, SECRET_KEY):
                return {"CodeResult": "101", "ErrorMessage": "Sai ApiKey hoặc SecretKey"}
            request_id = body.get("RequestId") or ""
            if request_id in self.delivered:
                return {"CodeResult": "124", "ErrorMessage": "Trùng RequestId"}
            if self.answer_code is not None:
                return {"CodeResult": str(self.answer_code), "ErrorMessage": "Lỗi"}
            self.delivered[request_id] = body
            if self.slow:
                await asyncio.sleep(self.slow_seconds)  # the provider's slowness, not the test's wait
            return {"CodeResult": "100", "CountRegenerate": 0, "SMSID": f"sms-{len(self.delivered)}"}

        return app

    async def start(self) -> None:
        self._server = uvicorn.Server(uvicorn.Config(self.app(), host="127.0.0.1", port=self.port,
                                                     log_level="warning", lifespan="off"))
        self._task = asyncio.create_task(self._server.serve())
        server = self._server
        await eventually(lambda: server.started, timeout=10, what="the fake eSMS listening")

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._task, timeout=10)

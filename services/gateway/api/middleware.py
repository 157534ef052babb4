"""ASGI middleware of the public door: the request body cap."""

import json
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.http_errors import error_body


class BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    """Refuse request bodies over the limit with 413, by declared length or by what actually arrives.

    Paths matching `upload_paths` (document uploads) get `max_upload_bytes`, all others `max_bytes`.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, upload_paths: re.Pattern[str] | None = None,
                 max_upload_bytes: int = 0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_paths = upload_paths
        self.max_upload_bytes = max(max_upload_bytes, max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_upload = self.upload_paths is not None and self.upload_paths.fullmatch(scope["path"]) is not None
        limit = self.max_upload_bytes if is_upload else self.max_bytes
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _send_413(send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
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

"""Retrying a command is safe: the same `Idempotency-Key` from the same caller gets the first answer.

A citizen or a staff tool that timed out or got a 503 sends the same command again with the same key; the
repeat is answered the first outcome (status, headers, body, marked `Idempotent-Replayed: true`) and
applies nothing. Two at once: one runs, the other waits for its answer. The same key with another request
(method, path, query, If-Match or body) is refused with 409. Keys are the caller's own (scoped to the
token's subject), 1 to 255 printable ASCII characters, and kept for `IDEMPOTENCY_HOURS`.

What is kept: the answers that say what the command did (2xx) or why it cannot (4xx); not a 5xx, which
means that nothing changed and the command may run again, nor the refusals that do not depend on the
command (401, 403, 408, 429).

A 5xx can also mean that the gateway lost the owner's answer (it timed out, the connection broke) after
the owner applied the command. So the key is passed on too (adapters/command_keys.py): the owning
service keeps it with the command's answer in the write that applies it, and the retry, which runs again
here, is answered the first outcome there, applying nothing.
"""

import asyncio
import contextlib
import hashlib
import json
import tempfile
import time
from collections.abc import Callable
from typing import IO

from starlette.datastructures import Headers
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.gateway.adapters.command_keys import passing_on, scoped_key
from services.gateway.adapters.idempotency import IdempotencyRecords, KeptAnswer, Record
from services.gateway.adapters.tokens import InvalidToken, KeysUnavailable, TokenVerifier
from services.gateway.settings import GatewaySettings
from shared.correlation import HEADER as CORRELATION_HEADER
from shared.http_errors import error_body

KEY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
COMMAND_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_KEY_LENGTH = 255
NOT_KEPT = frozenset({401, 403, 408, 429})
# A command's answer is small; a larger one (a page) is passed on but not kept.
MAX_KEPT_BODY = 256 * 1024
# Headers of the first answer that belong to it, not to the connection or the request that carried it.
NOT_REPLAYED = frozenset({"content-length", "date", "server", "set-cookie", CORRELATION_HEADER.lower()})
POLL_SECONDS = 0.05
SPOOL_IN_MEMORY = 1024 * 1024


class IdempotentCommands:
    """ASGI middleware on `/v1` commands that carry an `Idempotency-Key`; everything else passes untouched."""

    def __init__(self, app: ASGIApp, records: IdempotencyRecords, settings: GatewaySettings, tokens: TokenVerifier,
                 clock: Callable[[], float] = time.time) -> None:
        self.app = app
        self.records = records
        self.settings = settings
        self.tokens = tokens
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] not in COMMAND_METHODS or not scope["path"].startswith("/v1/")
                or not _has_route(scope)):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get(KEY_HEADER)
        if key is None:
            await self.app(scope, receive, send)
            return
        if not 1 <= len(key) <= MAX_KEY_LENGTH or not all("!" <= char <= "~" for char in key):
            await _send_error(send, 400, "invalid_idempotency_key",
                              f"Tiêu đề Idempotency-Key phải gồm 1 đến {MAX_KEY_LENGTH} ký tự ASCII in được.")
            return
        caller = await self._caller(headers)
        if caller is None:  # a token that does not verify: the route refuses it (401), nothing to keep
            await self.app(scope, receive, send)
            return
        # The whole body first (spooled to disk past a megabyte): the request's fingerprint is part of its claim.
        with tempfile.SpooledTemporaryFile(SPOOL_IN_MEMORY) as body:
            fingerprint = await _fingerprint(scope, headers, receive, body)
            key_id = hashlib.sha256(f"{caller}\n{key}".encode()).hexdigest()
            with passing_on(scoped_key(key_id, fingerprint)):
                await self._answer(scope, key_id, fingerprint, _replaying(body, receive), send)

    async def _caller(self, headers: Headers) -> str | None:
        """Whose key it is: the token's subject; callers without a token (provider callbacks) share one scope."""
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            return "anonymous"
        try:
            return f"sub:{(await self.tokens.verify(token.strip())).id}"
        except (InvalidToken, KeysUnavailable):
            return None

    async def _answer(self, scope: Scope, key_id: str, fingerprint: str, receive: Receive, send: Send) -> None:
        lease = self.settings.idempotency_wait_seconds * 4
        keep = self.settings.idempotency_hours * 3600
        waited_until = self.clock() + self.settings.idempotency_wait_seconds
        while True:
            found = await self.records.claim(key_id, fingerprint, self.clock(), lease, keep)
            if found is None:
                await self._run_first(scope, key_id, receive, send)
                return
            if found.fingerprint != fingerprint:
                await _send_error(send, 409, "idempotency_key_reused",
                                  "Khoá Idempotency-Key này đã được dùng cho một yêu cầu khác; "
                                  "hãy dùng một khoá mới cho mỗi yêu cầu mới.")
                return
            settled = await self._settled(key_id, found, waited_until)
            if settled is not None and settled.answer is not None:
                await _replay(settled.answer, send)
                return
            if settled is not None:
                await _send_error(send, 409, "idempotency_key_in_use",
                                  "Yêu cầu với khoá Idempotency-Key này vẫn đang được xử lý; vui lòng thử lại sau.",
                                  retry_after=int(self.settings.idempotency_wait_seconds))
                return
            # Released (the first run changed nothing): this one runs now, unless another claims it first.

    async def _settled(self, key_id: str, found: Record, until: float) -> Record | None:
        """The record once it has its answer; None when released; still pending when `until` passes."""
        while found.answer is None and self.clock() < until:
            await asyncio.sleep(POLL_SECONDS)
            now = await self.records.find(key_id, self.clock())
            if now is None or now.fingerprint != found.fingerprint:
                return None
            found = now
        return found

    async def _run_first(self, scope: Scope, key_id: str, receive: Receive, send: Send) -> None:
        status = 500
        kept_headers: list[tuple[str, str]] = []
        kept_body = bytearray()
        too_large = False

        async def keeping_send(message: Message) -> None:
            nonlocal status, too_large
            if message["type"] == "http.response.start":
                status = message["status"]
                kept_headers.extend((name.decode("latin-1"), value.decode("latin-1"))
                                    for name, value in message.get("headers", [])
                                    if name.decode("latin-1").lower() not in NOT_REPLAYED)
            elif message["type"] == "http.response.body" and not too_large:
                kept_body.extend(message.get("body", b""))
                too_large = len(kept_body) > MAX_KEPT_BODY
            await send(message)

        try:
            await self.app(scope, receive, keeping_send)
        except BaseException:
            await asyncio.shield(self.records.release(key_id))
            raise
        if status >= 500 or status in NOT_KEPT or too_large:
            await self.records.release(key_id)
        else:
            await self.records.keep(key_id, KeptAnswer(status, kept_headers, bytes(kept_body)))


def _has_route(scope: Scope) -> bool:
    """Whether a route takes this method on this path: anything else is answered (404, 405) as if no key."""
    return any(route.matches(scope)[0] is Match.FULL for route in scope["app"].routes)


async def _fingerprint(scope: Scope, headers: Headers, receive: Receive, body: IO[bytes]) -> str:
    """What makes two requests the same command: method, path, query, If-Match and the body's content.

    A multipart body is taken without its boundary (each sending draws a new one) and a JSON body in its
    canonical form (keys sorted, no spacing), so that the same command sent again is recognised.
    """
    media_type, _, parameters = headers.get("content-type", "").partition(";")
    while True:
        message = await receive()
        body.write(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body.seek(0)
    content = body.read()
    body.seek(0)
    media_type = media_type.strip().lower()
    if media_type == "application/json":
        with contextlib.suppress(ValueError):  # not JSON after all: its bytes, as they are
            content = json.dumps(json.loads(content), sort_keys=True, separators=(",", ":")).encode()
    elif media_type.startswith("multipart/"):
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.lower() == "boundary" and value.strip('"'):
                content = content.replace(b"--" + value.strip('"').encode("latin-1"), b"--boundary")
    digest = hashlib.sha256()
    for part in (scope["method"], scope["path"], scope.get("query_string", b"").decode("latin-1"), media_type,
                 headers.get("if-match", "")):
        digest.update(part.encode() + b"\0")
    digest.update(content)
    return digest.hexdigest()


def _replaying(body: IO[bytes], receive: Receive) -> Receive:
    """The request's body again, as the app would have received it; then whatever the client says next."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        chunk = body.read(SPOOL_IN_MEMORY)
        more = bool(chunk) and body.tell() < _size(body)
        sent = not more
        return {"type": "http.request", "body": chunk, "more_body": more}

    return replayed


def _size(body: IO[bytes]) -> int:
    here = body.tell()
    end = body.seek(0, 2)
    body.seek(here)
    return end


async def _replay(answer: KeptAnswer, send: Send) -> None:
    headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in answer.headers]
    headers += [(b"content-length", str(len(answer.body)).encode()), (REPLAYED_HEADER.lower().encode(), b"true")]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})


async def _send_error(send: Send, status: int, code: str, message: str, *, retry_after: int | None = None) -> None:
    body = json.dumps(error_body(code, message), ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})

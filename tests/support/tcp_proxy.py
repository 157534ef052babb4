"""A TCP proxy of the tests' own, on loopback, between a service and the broker: it forwards both ways
until told to black-hole the link, when it drops every byte in either direction and keeps the sockets
open (what a cut network does to a connection that nobody closes), and forwards again once restored.

It runs its own event loop on a thread, so that a test blocking on a process (tests/support/processes.py)
never stalls the link it is testing."""

import asyncio
import threading
from collections.abc import Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

T = TypeVar("T")


class BlackHoleProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self._upstream = (upstream_host, upstream_port)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="black-hole-proxy", daemon=True)
        self._forwarding = threading.Event()
        self._forwarding.set()
        self._server: asyncio.Server | None = None
        self._links: set[asyncio.StreamWriter] = set()
        self.port = 0

    def start(self) -> int:
        """Listen on a free loopback port; answers it."""
        self._thread.start()
        self._server = self._run(asyncio.start_server(self._link, "127.0.0.1", 0)).result(timeout=10)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self.port

    def black_hole(self) -> None:
        """From now on every byte either way is dropped; no socket is closed."""
        self._forwarding.clear()

    def restore(self) -> None:
        self._forwarding.set()

    def stop(self) -> None:
        async def close() -> None:
            if self._server is not None:
                self._server.close()
            for writer in list(self._links):
                writer.close()

        self._run(close()).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def _run(self, work: Coroutine[Any, Any, T]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(work, self._loop)

    async def _link(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            broker_reader, broker_writer = await asyncio.open_connection(*self._upstream)
        except OSError:
            client_writer.close()
            return
        self._links.update({client_writer, broker_writer})
        await asyncio.gather(self._pump(client_reader, broker_writer), self._pump(broker_reader, client_writer),
                             return_exceptions=True)
        for writer in (client_writer, broker_writer):
            self._links.discard(writer)
            writer.close()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Copy until one side ends, then end the other, as the far end of a closed socket would; but in
        a black hole the end is dropped like any byte: the other side never learns (until `stop`)."""
        try:
            while data := await reader.read(65536):
                if self._forwarding.is_set():
                    writer.write(data)
                    await writer.drain()
        finally:
            if self._forwarding.is_set():
                writer.close()


def through_proxy(amqp_url: str, proxy_port: int) -> str:
    """`amqp_url` with its host and port replaced by the proxy's on loopback (user, vhost and query kept)."""
    broker = urlsplit(amqp_url)
    return urlunsplit(broker._replace(netloc=f"{broker.netloc.rpartition('@')[0]}@127.0.0.1:{proxy_port}"
                                      if "@" in broker.netloc else f"127.0.0.1:{proxy_port}"))


class AnswerCuttingProxy:
    """A TCP proxy of the tests' own in front of an HTTP service, which can lose one answer on purpose.

    Armed with the start of a request line (`b"POST /dossiers "`), it forwards the next request that starts
    so, whole, to the service, which applies it and answers; the answer is then dropped and both connections
    are reset, as when a network or a proxy fails on the way back. The client learns nothing of the outcome.
    Everything else passes untouched. Runs its own event loop on a thread, like `BlackHoleProxy`.
    """

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self._upstream = (upstream_host, upstream_port)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="answer-cutting-proxy", daemon=True)
        self._server: asyncio.Server | None = None
        self._armed: list[bytes] = []
        self._lock = threading.Lock()
        self.cut: list[bytes] = []  # the request lines whose answers were lost, in order
        self.port = 0

    def start(self) -> int:
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._link, "127.0.0.1", 0), self._loop).result(timeout=10)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self.port

    def cut_next_answer(self, request_start: bytes) -> None:
        with self._lock:
            self._armed.append(request_start)

    def stop(self) -> None:
        async def close() -> None:
            if self._server is not None:
                self._server.close()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def _arm_for(self, chunk: bytes) -> bool:
        with self._lock:
            for start in self._armed:
                if chunk.startswith(start):
                    self._armed.remove(start)
                    self.cut.append(chunk.split(b"\r\n", 1)[0])
                    return True
        return False

    async def _link(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            service_reader, service_writer = await asyncio.open_connection(*self._upstream)
        except OSError:
            client_writer.close()
            return
        cutting = asyncio.Event()

        async def requests() -> None:
            try:
                while data := await client_reader.read(65536):
                    if not cutting.is_set() and self._arm_for(data):
                        cutting.set()
                    service_writer.write(data)
                    await service_writer.drain()
            finally:
                if not cutting.is_set():
                    service_writer.close()  # the client is done: so is the link

        async def answers() -> None:
            while data := await service_reader.read(65536):
                if cutting.is_set():
                    # The service has answered, so it has applied the request: lose the answer, reset both.
                    client_writer.transport.abort()
                    service_writer.transport.abort()
                    return
                client_writer.write(data)
                await client_writer.drain()

        await asyncio.gather(requests(), answers(), return_exceptions=True)
        for writer in (client_writer, service_writer):
            writer.close()

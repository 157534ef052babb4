"""What a service is at run time, independent of how it runs (embedded in one process or on its own).

Each service's `bootstrap()` returns a `Service`: its internal HTTP router, the queues it consumes and
its background loops. The runners (services/embedded.py and `shared.process.run_service`) start it the
same way, so both ways to run share one code path.
"""

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse

from shared.http_errors import install_error_handlers
from shared.http_middleware import CorrelationAndAccessLog
from shared.messaging.port import EVENTS, Bus, Exchange, Handler
from shared.store.port import DocumentStore


@dataclass(frozen=True)
class Consumer:
    queue: str
    bindings: Sequence[str]
    handler: Handler
    exchange: Exchange = EVENTS


@dataclass
class Service:
    name: str
    bus: Bus
    store: DocumentStore
    router: APIRouter = field(default_factory=APIRouter)
    consumers: list[Consumer] = field(default_factory=list)
    background: list[Callable[[], Coroutine[Any, Any, None]]] = field(default_factory=list)
    on_start: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list, repr=False)

    async def start(self) -> None:
        """Prepare the store, then start consuming and the background loops."""
        for prepare in self.on_start:
            await prepare()
        for consumer in self.consumers:
            await self.bus.consume(consumer.queue, consumer.bindings, consumer.handler,
                                   exchange=consumer.exchange)
        self._tasks = [asyncio.create_task(loop(), name=f"{self.name}-loop") for loop in self.background]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    async def ready(self) -> bool:
        return await self.bus.ping() and await self.store.ping()


def health_router(service: Service) -> APIRouter:
    """`/healthz` (the process answers) and `/readyz` (its broker and store answer)."""
    router = APIRouter(tags=["health"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": service.name}

    @router.get("/readyz")
    async def readyz() -> Any:
        if await service.ready():
            return {"status": "ready", "service": service.name}
        return JSONResponse({"status": "not_ready", "service": service.name}, status_code=503)

    return router


def service_app(service: Service, *, manage_lifecycle: bool = True) -> FastAPI:
    """The service's own FastAPI app: its internal API and health endpoints."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # type: ignore[no-untyped-def]
        if manage_lifecycle:
            await service.start()
        try:
            yield
        finally:
            if manage_lifecycle:
                await service.stop()

    app = FastAPI(title=f"hoso {service.name} (internal)", lifespan=lifespan)
    install_error_handlers(app)
    app.add_middleware(CorrelationAndAccessLog)
    app.include_router(health_router(service))
    app.include_router(service.router)
    return app

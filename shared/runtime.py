"""What a service is at run time, independent of how it runs (embedded in one process or on its own).

Each service's `bootstrap()` returns a `Service`: its internal HTTP router, the queues it consumes, its
outbox relays and its background loops. The runners (services/embedded.py and `shared.process.run_service`)
start it the same way, so both ways to run share one code path.

Stopping is graceful (a SIGTERM, through uvicorn's lifespan): the consumers take no new messages and
finish those in flight (or leave them to the broker), the loops stop, each outbox gets one last pass, and
only then do the runners close the bus and the store.
"""

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse

from shared.consumer_lag import ConsumerLagSampler
from shared.http_errors import install_error_handlers
from shared.http_metrics import RequestMetrics
from shared.http_middleware import CorrelationAndAccessLog
from shared.logging import get_logger
from shared.messaging.port import EVENTS, Bus, Exchange, Handler
from shared.metrics import metrics_router
from shared.missing_modules import mark_missing_modules
from shared.outbox import OutboxRelay
from shared.store.port import DocumentStore

log = get_logger(__name__)


class Worker(Protocol):
    """A loop that can be asked to finish what it is doing and return (notify's mail sender)."""

    async def run(self) -> None: ...

    def stop(self) -> None: ...


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
    # Loops stopped by cancelling them: what they do in flight can be cut anywhere.
    background: list[Callable[[], Coroutine[Any, Any, None]]] = field(default_factory=list)
    # Loops asked to finish their work in flight first, within the grace period.
    workers: list[Worker] = field(default_factory=list)
    outboxes: list[OutboxRelay] = field(default_factory=list)
    on_start: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    # Facts /readyz shows, each provider answering a few named values.
    details: list[Callable[[], dict[str, object]]] = field(default_factory=list)
    # How long stopping waits at each step: handlers in flight, workers, the outboxes' last pass.
    grace_seconds: float = 10.0
    # How often the consumer lag (messages waiting in each consumed queue) is sampled for /metrics.
    sample_seconds: float = 5.0
    stopping: bool = False
    _tasks: list[asyncio.Task[None]] = field(default_factory=list, repr=False)
    _running_workers: list[Worker] = field(default_factory=list, repr=False)  # its workers and the lag sampler
    _workers: list[asyncio.Task[None]] = field(default_factory=list, repr=False)
    _relays: list[asyncio.Task[None]] = field(default_factory=list, repr=False)
    _consumer_tags: list[str] = field(default_factory=list, repr=False)

    async def start(self) -> None:
        """Prepare the store, then start consuming, the outbox relays and the background loops."""
        self.stopping = False
        for prepare in self.on_start:
            await prepare()
        for consumer in self.consumers:
            self._consumer_tags.append(await self.bus.consume(
                consumer.queue, consumer.bindings, consumer.handler, exchange=consumer.exchange))
        self._tasks = [asyncio.create_task(loop(), name=f"{self.name}-loop") for loop in self.background]
        queues = [consumer.queue for consumer in self.consumers]
        self._running_workers = [*self.workers, ConsumerLagSampler(self.bus, self.name, queues, self.sample_seconds)]
        self._workers = [asyncio.create_task(worker.run(), name=f"{self.name}-worker")
                         for worker in self._running_workers]
        self._relays = [asyncio.create_task(relay.run(), name=f"{self.name}-outbox") for relay in self.outboxes]

    async def stop(self) -> None:
        """Stop without losing anything: no new messages, those in flight finished (or handed back to the
        broker), the workers' sends finished, the other loops cancelled, the outboxes emptied."""
        self.stopping = True  # /readyz answers 503 from now on
        finished = await asyncio.gather(*(self.bus.stop_consuming(tag, grace_seconds=self.grace_seconds)
                                          for tag in self._consumer_tags))
        self._consumer_tags.clear()
        workers_finished = await _let_finish(self._running_workers, self._workers, self.grace_seconds)
        await _cancel(self._tasks)
        # Last: the consumers and workers above may have stored events until they stopped.
        flushed = await _let_finish(self.outboxes, self._relays, self.grace_seconds)
        log.info("service_stopped", service=self.name, drained=all(finished) and workers_finished,
                 outboxes_flushed=flushed)

    async def ready(self) -> bool:
        return not await self.not_ready_because()

    async def not_ready_because(self) -> list[str]:
        """Why the service cannot take work now (empty when it can): stopping, its broker or its store away."""
        reasons = ["stopping"] if self.stopping else []
        if not await self.bus.ping():
            reasons.append("broker_unreachable")
        if not await self.store.ping():
            reasons.append("store_unreachable")
        return reasons

    def readiness_details(self) -> dict[str, object]:
        """What /readyz says besides ready or not, e.g. query's unclosed gaps; none of it makes it unready."""
        return {key: value for detail in self.details for key, value in detail().items()}


async def _let_finish(loops: Sequence[Worker], tasks: list[asyncio.Task[None]], grace_seconds: float) -> bool:
    """Ask each loop to stop and wait for it within the grace period; cancel those still running. Outbox
    relays stop this way too: what one leaves (broker away, time up) stays stored for the next start."""
    for loop in loops:
        loop.stop()
    pending: set[asyncio.Task[None]] = set()
    if tasks:
        _done, pending = await asyncio.wait(tasks, timeout=grace_seconds)
    await _cancel(tasks)
    return not pending


async def _cancel(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    tasks.clear()


def health_router(service: Service) -> APIRouter:
    """`/healthz` (the process answers) and `/readyz` (its broker and store answer)."""
    router = APIRouter(tags=["health"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": service.name}

    @router.get("/readyz")
    async def readyz() -> Any:
        reasons = await service.not_ready_because()
        details = service.readiness_details()
        if not reasons:
            return {"status": "ready", "service": service.name, **details}
        return JSONResponse({"status": "not_ready", "service": service.name, "reasons": reasons, **details},
                            status_code=503)

    return router


def service_app(
    service: Service, *, manage_lifecycle: bool = True, on_stopped: Sequence[Callable[[], Awaitable[None]]] = (),
) -> FastAPI:
    """The service's own FastAPI app: its internal API, health endpoints and metrics.

    With `manage_lifecycle`, its lifespan starts and stops the service, then runs `on_stopped` (closing the
    connections the runner opened).
    """
    mark_missing_modules()  # httpx asks for sniffio at every request a service makes (query asks intake)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # type: ignore[no-untyped-def]
        if manage_lifecycle:
            await service.start()
        try:
            yield
        finally:
            if manage_lifecycle:
                await service.stop()
                for hook in on_stopped:
                    await hook()

    app = FastAPI(title=f"hoso {service.name} (internal)", lifespan=lifespan)
    install_error_handlers(app)
    app.add_middleware(CorrelationAndAccessLog)
    app.add_middleware(RequestMetrics, service=service.name)
    app.include_router(health_router(service))
    app.include_router(metrics_router())
    app.include_router(service.router)
    return app

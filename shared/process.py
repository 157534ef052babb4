"""Run one service as its own process: open its store, connect, bootstrap, serve its internal API, close on
the way out.

SIGTERM (or Ctrl-C) makes uvicorn stop accepting connections, finish the requests under way, then run the
lifespan's shutdown: the service's graceful stop (shared/runtime.py), then the bus and store close. They
close in the lifespan because uvicorn re-raises the signal once it is done, ending the process there.
"""

import asyncio
import math
import time
from collections.abc import Callable
from typing import TypeVar

import uvicorn

from shared.logging import configure_logging, get_logger
from shared.messaging.connect import open_bus
from shared.messaging.port import Bus
from shared.runtime import Service, service_app
from shared.settings import ServiceSettings
from shared.store import open_store
from shared.store.port import DocumentStore

log = get_logger(__name__)

S = TypeVar("S", bound=ServiceSettings)


def run_service(
    name: str, settings_type: type[S], bootstrap: Callable[[S, Bus, DocumentStore], Service],
) -> None:
    settings = settings_type()
    configure_logging(name, settings.log_level)
    asyncio.run(_serve(name, settings, bootstrap))


async def _serve(
    name: str, settings: S, bootstrap: Callable[[S, Bus, DocumentStore], Service],
) -> None:
    # The store first, the broker after: replaying a long journal must not keep the broker's connection
    # waiting for heartbeats it cannot answer (open_store replays off the event loop besides).
    started = time.monotonic()
    store = await open_store(settings, name)
    log.info("store_opened", seconds=round(time.monotonic() - started, 3))
    try:
        bus = await open_bus(settings)
    except BaseException:
        await store.close()
        raise
    log.info("bus_opened")
    closed = False

    async def close_connections() -> None:
        nonlocal closed
        if not closed:
            closed = True
            await bus.close()
            await store.close()

    try:
        service = bootstrap(settings, bus, store)
        service.grace_seconds = settings.shutdown_grace_seconds
        service.sample_seconds = settings.metrics_sample_seconds
        app = service_app(service, on_stopped=[close_connections])
        config = uvicorn.Config(app, host=settings.host, port=settings.port,
                                log_config=None, access_log=False, lifespan="on",
                                timeout_graceful_shutdown=math.ceil(settings.shutdown_grace_seconds))
        log.info("service_starting", host=settings.host, port=settings.port,
                 broker="rabbitmq" if settings.amqp_url else "in-process",
                 store="mongodb" if settings.mongo_url else "in-memory")
        await uvicorn.Server(config).serve()
    finally:
        await close_connections()

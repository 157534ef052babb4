"""Wire the gateway: its FastAPI app (the public `/v1` API and the portal) over the backends it is given.

The backends are the services over the network, or in this process when embedded. `create_app` keeps the
name its callers outside the gateway (the embedded run, docs.generate) know it by.
"""

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline

from services.gateway.adapters.backends import Backends, UpstreamError, UpstreamUnavailable
from services.gateway.adapters.idempotency import IdempotencyRecords
from services.gateway.adapters.jwks import Discovery, ProviderKeys
from services.gateway.adapters.oidc import OidcClient
from services.gateway.adapters.rate_limit import RateLimiter
from services.gateway.adapters.tokens import TokenVerifier
from services.gateway.api import (
    catalog,
    dev,
    documents,
    dossiers,
    lookup,
    payments,
    ratings,
    results,
    slips,
    staff,
    statistics,
)
from services.gateway.api.idempotency import IdempotentCommands
from services.gateway.api.methods import method_not_allowed
from services.gateway.api.middleware import BodySizeLimit
from services.gateway.api.responses import document_commands
from services.gateway.dependencies import Gateway
from services.gateway.portal.bootstrap import mount_portal
from services.gateway.settings import GatewaySettings
from shared.http_errors import install_error_handlers
from shared.http_metrics import RequestMetrics
from shared.http_middleware import CorrelationAndAccessLog
from shared.logging import get_logger
from shared.metrics import metrics_router
from shared.missing_modules import mark_missing_modules
from shared.store.memory import MemoryStore
from shared.store.mongo import MongoStore
from shared.store.port import DocumentStore

log = get_logger(__name__)

Hook = Callable[[], Awaitable[None]]

# Where files arrive, which may be larger than any other body: a result document, a dossier's attachment
# (API and portal).
UPLOAD_PATHS = re.compile(r"/v1/staff/dossiers/[^/]+/issue-result|/v1/dossiers/[^/]+/documents/[^/]+"
                          r"|/can-bo/ho-so/[^/]+/issue-result|/ho-so/[^/]+/tai-lieu/[^/]+")


def over_network(settings: GatewaySettings) -> Backends:
    """The services at the addresses the settings give: the gateway as a process of its own."""
    return Backends.over_network({"intake": settings.intake_url, "processing": settings.processing_url,
                                  "query": settings.query_url, "payment": settings.payment_url,
                                  "notify": settings.notify_url, "slips": settings.slips_url})


def identity_providers(settings: GatewaySettings, http: httpx.AsyncClient) -> dict[str, OidcClient]:
    """Each configured OpenID provider: its discovery document and keys, fetched when first needed."""
    clients = {}
    for provider in settings.oidc_providers:
        discovery = Discovery(provider.issuer, http, max_age_seconds=settings.jwks_max_age_seconds)
        keys = ProviderKeys(discovery, http, refresh_seconds=settings.jwks_refresh_seconds,
                            max_age_seconds=settings.jwks_max_age_seconds)
        clients[provider.name] = OidcClient(provider, discovery, keys, http)
    return clients


def open_gateway_store(settings: GatewaySettings) -> DocumentStore:
    """The gateway's own store (the idempotency keys): MongoDB when MONGO_URL is set, else memory."""
    name = f"{settings.namespace}_gateway"
    return MongoStore(settings.mongo_url, name) if settings.mongo_url else MemoryStore(name)


def create_app(settings: GatewaySettings, backends: Backends, *, store: DocumentStore | None = None,
               on_startup: list[Hook] | None = None, on_shutdown: list[Hook] | None = None) -> FastAPI:
    """The gateway over the given backends; the runners add what starts and stops around it."""
    mark_missing_modules()  # httpx asks for sniffio at every request to a service
    store = store or open_gateway_store(settings)
    idempotency = IdempotencyRecords(store.db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await idempotency.ensure_indexes()
        for hook in on_startup or []:
            await hook()
        try:
            yield
        finally:
            for hook in on_shutdown or []:
                await hook()
            await backends.close()
            await providers_http.aclose()
            await store.close()

    # The docs pages' scripts and styles come from the package, never a CDN: they work offline, and the
    # portal's own rule (nothing from a CDN) holds for them too.
    app = FastAPIOffline(
        title="hoso — Quản lý tình trạng hồ sơ", version="1.0.0", lifespan=lifespan,
        description="API của Cổng Dịch vụ công Sở Y tế cho chức năng quản lý tình trạng hồ sơ.",
    )
    providers_http = httpx.AsyncClient(timeout=5.0, follow_redirects=False)
    sign_in = identity_providers(settings, providers_http)
    tokens = TokenVerifier(settings, {name: client.keys for name, client in sign_in.items()})
    app.state.gateway = Gateway(settings, backends, RateLimiter(settings.lookup_per_minute), tokens, sign_in)
    install_error_handlers(app)
    app.add_exception_handler(UpstreamError, _pass_on_upstream_error)
    app.add_exception_handler(UpstreamUnavailable, _service_unavailable)
    app.add_exception_handler(405, method_not_allowed)
    # Inside the body cap, which bounds what it reads before it claims a key.
    app.add_middleware(IdempotentCommands, records=idempotency, settings=settings, tokens=tokens)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes, upload_paths=UPLOAD_PATHS,
                       max_upload_bytes=settings.max_upload_bytes)
    app.add_middleware(CorrelationAndAccessLog)
    app.add_middleware(RequestMetrics, service="gateway")
    for module in (catalog, dossiers, documents, results, ratings, statistics, slips, payments, staff, lookup, dev):
        app.include_router(module.router)
    app.include_router(metrics_router())
    _add_health(app, backends, store)
    mount_portal(app)  # the reference portal's pages at `/`, on top of the same API
    document_commands(app)
    return app


def _add_health(app: FastAPI, backends: Backends, store: DocumentStore) -> None:
    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": "gateway"}

    @app.get("/readyz", tags=["health"])
    async def readyz() -> Any:
        if all([await client.ready() for client in backends.all()]) and await store.ping():
            return {"status": "ready", "service": "gateway"}
        return JSONResponse({"status": "not_ready", "service": "gateway"}, status_code=503)


async def _pass_on_upstream_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, UpstreamError)
    if isinstance(exc.body, dict) and "error" in exc.body:
        return JSONResponse(exc.body, status_code=exc.status)
    log.warning("upstream_error_without_body", status=exc.status)
    body = {"error": {"code": "upstream_error", "message": "Hệ thống đang bận, vui lòng thử lại."}}
    return JSONResponse(body, status_code=502)


async def _service_unavailable(_request: Request, _exc: Exception) -> JSONResponse:
    return JSONResponse({"error": {"code": "service_unavailable",
                                   "message": "Dịch vụ tạm thời không khả dụng, vui lòng thử lại sau."}},
                        status_code=503)

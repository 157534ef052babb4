"""`make run`: every service in one process — in-process bus, in-memory stores, development tokens.

The services are bootstrapped exactly as in their own processes; only the bus and the stores differ,
and the gateway reaches the services' internal APIs in-process instead of over the network.
"""

import asyncio
import sys

import httpx
import uvicorn
from fastapi import FastAPI
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.demo import load_demo_data
from services.gateway.adapters.backends import Backends
from services.gateway.adapters.streaming import StreamingASGITransport
from services.gateway.bootstrap import create_app
from services.gateway.settings import GatewaySettings
from services.intake.bootstrap import bootstrap as bootstrap_intake
from services.intake.settings import IntakeSettings
from services.notify.adapters.slips_client import SlipsClient
from services.notify.bootstrap import bootstrap as bootstrap_notify
from services.notify.settings import NotifySettings
from services.payment.bootstrap import bootstrap as bootstrap_payment
from services.payment.settings import PaymentSettings
from services.processing.bootstrap import bootstrap as bootstrap_processing
from services.processing.settings import ProcessingSettings
from services.query.bootstrap import bootstrap as bootstrap_query
from services.query.settings import QuerySettings
from services.slips.bootstrap import bootstrap as bootstrap_slips
from services.slips.settings import SlipsSettings
from shared.dossier_content import IntakeContents
from shared.logging import configure_logging
from shared.messaging.memory import InProcessBus
from shared.runtime import Service, service_app
from shared.settings import ServiceSettings
from shared.store import open_store
from shared.store.memory import MemoryStore


class EmbeddedSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    demo_data: bool = True
    log_level: str = "WARNING"


BANNER = """
  hoso — Quản lý tình trạng hồ sơ (chạy nhúng / embedded run)
  Cổng:     http://{host}:{port}/        đăng nhập thử: http://{host}:{port}/dang-nhap
  API:      http://{host}:{port}/v1      tài liệu (OpenAPI): http://{host}:{port}/docs
  Đăng nhập thử: POST /v1/dev/token  {{"sub": "...", "name": "...", "email": "...", "roles": ["citizen"]}}
  {demo}
  Dữ liệu chỉ nằm trong bộ nhớ và sẽ mất khi dừng chương trình (data lives in memory only).
"""


async def build_embedded_app(
    gateway_settings: GatewaySettings, *, demo_data: bool, bus: InProcessBus | None = None,
    portal_url: str = "http://127.0.0.1:8000",
) -> FastAPI:
    """The gateway with every service behind it in this process, started and stopped by its lifespan."""
    memory_only = ServiceSettings(amqp_url=None, mongo_url=None, store_journal_dir=None)
    bus = bus or InProcessBus(namespace=memory_only.namespace, retry_delay_seconds=0.5,
                              max_attempts=memory_only.max_attempts)
    # Slips signs with the run's development certificate (created on first start under DEV_CERTIFICATE_DIR,
    # or .hoso-dev/), unless SIGNING_CERTIFICATE_FILE names the Department's.
    intake = bootstrap_intake(IntakeSettings(mongo_url=None, store_journal_dir=None), bus,
                              await open_store(memory_only, "intake"))
    # Query and slips read the applicant from intake's API, and notify the owner's registered address and
    # phone (the events carry none of them), in-process here.
    intake_api = IntakeContents(httpx.AsyncClient(
        transport=httpx.ASGITransport(app=service_app(intake, manage_lifecycle=False)), base_url="http://intake"))
    slips = bootstrap_slips(SlipsSettings(mongo_url=None, store_journal_dir=None, portal_url=portal_url), bus,
                            await open_store(memory_only, "slips"), contents=intake_api)
    # Notify fetches the receipt slip it attaches from the slips service's API, in-process here.
    slips_api = SlipsClient(httpx.AsyncClient(
        transport=StreamingASGITransport(service_app(slips, manage_lifecycle=False), client=("127.0.0.1", 0)),
        base_url="http://slips"))
    services: list[Service] = [  # consumers first: each is listening before anything is published
        bootstrap_query(QuerySettings(), bus, await open_store(memory_only, "query"), contents=intake_api),
        slips,
        bootstrap_processing(ProcessingSettings(mongo_url=None, store_journal_dir=None), bus,
                             await open_store(memory_only, "processing")),
        # The sandbox provider: its checkout is served here, behind the gateway, and no money moves.
        bootstrap_payment(PaymentSettings(payment_provider="sandbox", environment="development"), bus,
                          await open_store(memory_only, "payment")),
        # SMTP_HOST and SMTP_PORT from the environment send real mail; without them, the dev mailbox.
        bootstrap_notify(NotifySettings(portal_url=portal_url), bus, await open_store(memory_only, "notify"),
                         slips=slips_api, contacts=intake_api),
        intake,
    ]
    backends = Backends.in_process({service.name: service_app(service, manage_lifecycle=False)
                                    for service in services})
    app: FastAPI

    async def start() -> None:
        for service in services:
            await service.start()
        if demo_data:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://demo") as gateway:
                await load_demo_data(gateway)

    async def stop() -> None:
        for service in reversed(services):
            await service.stop()
            await service.store.close()
        await slips_api.close()
        await intake_api.close()
        await bus.close()

    # The gateway's own keys in memory too, whatever MONGO_URL says: the embedded run keeps nothing.
    app = create_app(gateway_settings, backends, store=MemoryStore("gateway"), on_startup=[start],
                     on_shutdown=[stop])
    return app


async def serve(settings: EmbeddedSettings) -> None:
    gateway_settings = GatewaySettings(dev_tokens=True)
    app = await build_embedded_app(gateway_settings, demo_data=settings.demo_data,
                                   portal_url=f"http://{settings.host}:{settings.port}")
    demo = ("Dữ liệu mẫu: người dân an.nguyen@example.vn (sub), DEMO_DATA=0 để bắt đầu trống."
            if settings.demo_data else "Không nạp dữ liệu mẫu (DEMO_DATA=0).")
    sys.stderr.write(BANNER.format(host=settings.host, port=settings.port, demo=demo))
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_config=None, access_log=False,
                            h11_max_incomplete_event_size=gateway_settings.max_header_bytes)
    await uvicorn.Server(config).serve()


def main() -> None:
    settings = EmbeddedSettings()
    configure_logging("hoso", settings.log_level)
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()

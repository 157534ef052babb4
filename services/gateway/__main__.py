"""`python -m services.gateway`: the gateway as its own process, calling the services over the network."""

import uvicorn

from services.gateway.app import create_app
from services.gateway.clients import Backends
from services.gateway.settings import GatewaySettings
from shared.logging import configure_logging


def main() -> None:
    settings = GatewaySettings()
    configure_logging("gateway", settings.log_level)
    urls = {"intake": settings.intake_url, "processing": settings.processing_url, "query": settings.query_url,
            "payment": settings.payment_url, "notify": settings.notify_url}
    app = create_app(settings, Backends.over_network(urls))
    # SIGTERM: no new connections, the requests under way finish (within the grace period), then it exits.
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, access_log=False,
                timeout_graceful_shutdown=settings.shutdown_grace_seconds)


main()

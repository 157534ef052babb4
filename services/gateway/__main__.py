"""`python -m services.gateway`: the gateway as its own process, calling the services over the network."""

import uvicorn

from services.gateway.bootstrap import create_app, over_network
from services.gateway.settings import GatewaySettings
from shared.logging import configure_logging


def main() -> None:
    settings = GatewaySettings()
    configure_logging("gateway", settings.log_level)
    app = create_app(settings, over_network(settings))
    # SIGTERM: no new connections, the requests under way finish (within the grace period), then it exits.
    uvicorn.run(app, host=settings.host, port=settings.port, log_config=None, access_log=False,
                timeout_graceful_shutdown=settings.shutdown_grace_seconds,
                h11_max_incomplete_event_size=settings.max_header_bytes)


main()

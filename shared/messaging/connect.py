"""Which bus a process gets: RabbitMQ when `AMQP_URL` is set, otherwise the in-process one (embedded run)."""

from shared.messaging.memory import InProcessBus
from shared.messaging.port import Bus
from shared.messaging.rabbitmq import RabbitBus
from shared.settings import ServiceSettings


async def open_bus(settings: ServiceSettings) -> Bus:
    """Open the bus the settings ask for; the caller closes it."""
    if settings.amqp_url:
        return await RabbitBus.connect(
            settings.amqp_url, namespace=settings.namespace, retry_delay_seconds=settings.retry_delay_seconds,
            max_attempts=settings.max_attempts, prefetch=settings.prefetch,
            max_message_bytes=settings.max_message_bytes, heartbeat_seconds=settings.amqp_heartbeat_seconds,
        )
    return InProcessBus(
        namespace=settings.namespace, retry_delay_seconds=settings.retry_delay_seconds,
        max_attempts=settings.max_attempts,
    )

"""`python -m bench.cleanup`: delete every queue and exchange a bench run under NAMESPACE made.

Each step of the bench cleans up after itself; `make bench` runs this too, whatever became of the run, so
that an interrupted one leaves nothing on the broker either. Deleting what does not exist is a no-op.
"""

import asyncio
import os
import sys

import aio_pika

from bench import services
from bench.broker import ceiling_names
from bench.runner import step_namespaces
from shared.logging import configure_logging
from shared.settings import DEFAULT_AMQP_URL


async def clean(amqp_url: str, namespace: str) -> None:
    for step_namespace in step_namespaces(namespace):
        await services.delete_topology(amqp_url, step_namespace)
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        queue, exchange = ceiling_names(namespace)
        await channel.queue_delete(queue)
        await channel.exchange_delete(exchange)
    finally:
        await connection.close()


def main() -> int:
    namespace = os.environ.get("NAMESPACE")
    if not namespace:
        sys.stderr.write("bench.cleanup: NAMESPACE is not set: nothing to clean\n")
        return 1
    configure_logging("bench", "WARNING")  # the services' bootstraps, asked for their queues, log at INFO
    asyncio.run(clean(os.environ.get("AMQP_URL") or DEFAULT_AMQP_URL, namespace))
    return 0


if __name__ == "__main__":
    sys.exit(main())

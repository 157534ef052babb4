"""The product as `make run-services` starts it: each service its own process over RabbitMQ, the gateway in
front; here on free ports, under the bench's own NAMESPACE, so that it never meets another run's queues.

Started one by one rather than through services/distributed.py, so that the bench knows each process's
pid (for its CPU time, its peak memory and the profiler). The environment is the one distributed.py gives.
"""

import asyncio
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bench.processes import Process
from services.distributed import SERVICES
from services.topology import consumed_queues
from shared.messaging.rabbitmq import RabbitBus
from tests.support.processes import free_ports

_PORT_VARIABLES = {name: variable for name, variable, _default in SERVICES}


@dataclass(frozen=True)
class Stores:
    """Where the services keep their data: in memory (optionally journaled to a directory), or MongoDB."""

    mongo_url: str | None = None
    journal_dir: Path | None = None


def base_environment(amqp_url: str, namespace: str, stores: Stores) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("MONGO_URL", "STORE_JOURNAL_DIR")}
    env.update(AMQP_URL=amqp_url, NAMESPACE=namespace, PYTHONUNBUFFERED="1")
    if stores.mongo_url:
        env["MONGO_URL"] = stores.mongo_url
    if stores.journal_dir is not None:
        env["STORE_JOURNAL_DIR"] = str(stores.journal_dir)
    return env


def product(names: Iterable[str], base: dict[str, str]) -> list[Process]:
    """The services named (and the gateway, last, pointing at them), not started yet."""
    *free, gateway_port = free_ports(len(_PORT_VARIABLES) + 1)
    ports = dict(zip(_PORT_VARIABLES, free, strict=True))
    base = {**base, "PORTAL_URL": f"http://127.0.0.1:{gateway_port}",
            # Notify fetches the receipt slip it attaches from the slips service; query and slips read the
            # applicant from intake, notify the owner's registered address and phone.
            "SLIPS_URL": f"http://127.0.0.1:{ports['slips']}", "INTAKE_URL": f"http://127.0.0.1:{ports['intake']}",
            **{variable: str(ports[name]) for name, variable in _PORT_VARIABLES.items()}}
    processes = [Process(name, f"services.{name}", {**base, "PORT": str(ports[name])}, ports[name])
                 for name in names]
    gateway_env = {**base, "PORT": str(gateway_port), "DEV_TOKENS": "true",
                   "JWT_KEY": secrets.token_urlsafe(32), "JWT_ALGORITHMS": '["HS256"]',
                   **{f"{name.upper()}_URL": f"http://127.0.0.1:{port}" for name, port in ports.items()}}
    return [*processes, Process("gateway", "services.gateway", gateway_env, gateway_port)]


def every_service() -> list[str]:
    """In distributed.py's order: the consumers first, so that each listens before anything is published."""
    return [name for name, _variable, _default in SERVICES]


def start(processes: list[Process], run_id: str, *, gateway_ready_path: str = "/readyz") -> None:
    for process in processes:
        process.start(run_id)
    for process in processes:
        process.wait_ready(gateway_ready_path if process.name == "gateway" else "/readyz")


def stop(processes: list[Process]) -> None:
    for process in reversed(processes):
        process.stop()


async def delete_topology(amqp_url: str, namespace: str, extra_queues: Iterable[str] = ()) -> None:
    """Delete the namespace's queues (main, retry, dead letters; deleting one never made is a no-op) and
    its exchanges from the broker."""
    bus = await RabbitBus.connect(amqp_url, namespace=namespace)
    try:
        await bus.delete_topology([*consumed_queues(), *extra_queues])
    finally:
        await bus.close()


def clean_up(amqp_url: str, namespace: str, extra_queues: Iterable[str] = ()) -> None:
    asyncio.run(delete_topology(amqp_url, namespace, extra_queues))

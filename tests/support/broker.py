"""Finding the RabbitMQ server the tests run against, and keeping each test run's names apart."""

import asyncio
import functools
import os
import shutil
import warnings
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit
from uuid import uuid4

import aio_pika
import pytest

from shared.settings import DEFAULT_AMQP_URL

PROBE_TIMEOUT_SECONDS = 3.0


def rabbitmq_url() -> str:
    return os.environ.get("AMQP_URL") or DEFAULT_AMQP_URL


def require_rabbitmq() -> str:
    """The broker's URL if it answers; otherwise skip the test loudly (fail it under CI=true)."""
    url = rabbitmq_url()
    problem = _broker_problem(url)
    if problem is None:
        return url
    where = urlsplit(url)
    reason = (f"RabbitMQ does not answer at {where.hostname}:{where.port or 5672} ({problem}); "
              "start it with `rabbitmq-server -detached` or point AMQP_URL at one")
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    warnings.warn(f"SKIPPING RabbitMQ tests: {reason}", stacklevel=2)
    pytest.skip(f"SKIPPED, NOT RUN: {reason}")


def unique_namespace() -> str:
    """A prefix for exchange and queue names that no other test run shares."""
    return f"test_{uuid4().hex[:8]}"


async def drop_connection_on_broker(connection_name: str) -> None:
    """Have the broker itself close a client's connection (a genuine server-side drop), by its name.

    Only the named connection is closed: other test runs may share the broker. Skips the calling test
    when `rabbitmqctl` is missing or not allowed to talk to the node here.
    """
    listing = await _rabbitmqctl("-s", "list_connections", "pid", "client_properties")
    marker = f'{{"connection_name","{connection_name}"}}'
    pids = [line.split("\t", 1)[0] for line in listing.splitlines() if marker in line]
    assert len(pids) == 1, f"expected one broker connection named {connection_name}, found {len(pids)}"
    await _rabbitmqctl("close_connection", pids[0], "test: connection dropped by the broker")


async def _rabbitmqctl(*arguments: str) -> str:
    executable = shutil.which("rabbitmqctl")
    if executable is None:
        pytest.skip("rabbitmqctl is not installed here: cannot drop a connection from the broker's side")
    process = await asyncio.create_subprocess_exec(
        executable, *arguments, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    if process.returncode != 0:
        pytest.skip(f"`rabbitmqctl {' '.join(arguments)}` failed here (exit {process.returncode}): "
                    f"{stderr.decode(errors='replace').strip()[:200]}")
    return stdout.decode(errors="replace")


@functools.cache
def _broker_problem(url: str) -> str | None:
    # Callers may be inside a running event loop: probe on a thread with a loop of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _probe(url)).result()


async def _probe(url: str) -> str | None:
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_SECONDS):
            connection = await aio_pika.connect(url)
            await connection.close()
    except Exception as exc:
        return type(exc).__name__
    return None

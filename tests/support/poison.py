"""Poison for the consumers: the bodies the poison test publishes, and a sender of the 5 MB ones that runs in
a process of its own (`python -m tests.support.poison AMQP_URL NAMESPACE`: the keys as JSON on stdin, then
"go").

Each 5 MB body goes on a channel of its own, all on one connection, as one producer elsewhere would send
them: a broker configured as deployed refuses each at the door by closing its channel (the connection stays).
Writing 180 MB is the sender's work, not the consumers', but on this 2-core machine it was most of what
slowed their good flow beside the poison: 74-92 % of its rate alone with the sender on the test's event
loop, 79-89 % with it in a process of its own, 101-108 % with the same bodies sent before the flow. So the
sender is started and ready before the flow, and runs at the lowest priority while it goes on, as if it
were elsewhere. What is left is the broker's own work of taking in and refusing the bodies: the poison test
keeps the node (and the sender) on a CPU of their own, as a deployed broker is on a machine of its own.
That work, measured alone on such a node (one CPU, `max_message_size` 1 MiB), three times: 0.26-0.32 CPU
seconds of the node's to refuse the 36 bodies when each came on a connection of its own, of which
0.15-0.16 was opening and closing the 36 connections (the same sends with 100-byte bodies). The node is
what paces the good flow (its events go out through an outbox relay, confirms awaited together), so the
node's busy time lands on the flow's wall clock.
"""

import asyncio
import contextlib
import json
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from uuid import uuid4

import aio_pika
import aiormq

from shared.messages import Envelope
from shared.messaging.port import COMMANDS, Exchange
from shared.producers import PRODUCERS
from shared.registry import PAYLOADS
from tests.support.broker_node import on_cpus

PROJECT = Path(__file__).parents[2]
OVERSIZE_BYTES = 5 * 1024 * 1024
KINDS = ("not_json", "unknown_type", "broken_payload", "oversize")


def poison(kind: str, exchange: Exchange, key: str) -> bytes:
    if kind == "not_json":
        return b"\x00{not json"
    producer = "staff-tool" if exchange == COMMANDS else PRODUCERS.get(key, "processing")
    envelope: dict[str, Any] = {"type": key, "producer": producer, "dossier_id": str(uuid4()), "version": 1}
    if kind == "unknown_type":
        envelope["type"] = "staff.frobnicate" if exchange == COMMANDS else "dossier.frobnicated"
        envelope["data"] = {"from_status": "submitted", "to_status": "result_returned"}
    elif kind == "broken_payload":
        fields = [name for name in PAYLOADS[key].model_fields if name != "message_type"]
        envelope["data"] = {name: {"broken": [1]} for name in fields}
        if not fields:
            del envelope["version"]  # a payload with nothing to break: the envelope is broken instead
    else:
        envelope["data"] = {"padding": "x" * OVERSIZE_BYTES}
    return Envelope.model_validate(envelope).model_dump_json().encode()


@contextlib.asynccontextmanager
async def oversized_sender(url: str, namespace: str, keys: list[tuple[Exchange, str]],
                           cpus: frozenset[int] | None = None) -> AsyncIterator[Callable[[], Awaitable[int]]]:
    """A process of its own, at the lowest priority (on `cpus` when given), started and ready to send an
    oversized body on each key: the block calls what this yields to have them sent, and gets how many the
    broker refused."""
    sender = await asyncio.create_subprocess_exec(
        "nice", "-n", "19", sys.executable, "-m", "tests.support.poison", url, namespace,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, cwd=PROJECT, preexec_fn=on_cpus(cpus))
    assert sender.stdin is not None and sender.stdout is not None
    sender.stdin.write(json.dumps(keys).encode() + b"\n")
    await sender.stdin.drain()
    if await sender.stdout.readline() != b"ready\n":
        raise RuntimeError("the oversized bodies' sender did not start")

    async def send() -> int:
        answer, _ = await sender.communicate(b"go\n")
        if sender.returncode != 0:
            raise RuntimeError(f"the oversized bodies' sender failed (exit {sender.returncode})")
        return int(answer)

    try:
        yield send
    finally:
        if sender.returncode is None:
            sender.kill()
            await sender.wait()


async def _publish_oversized(url: str, namespace: str, keys: list[tuple[Exchange, str]]) -> int:
    refused = 0
    connection = await aio_pika.connect(url)
    try:
        for exchange, key in keys:
            if not await _accepted(connection, namespace, exchange, key, poison("oversize", exchange, key)):
                refused += 1
    finally:
        with contextlib.suppress(Exception):
            await connection.close()
    return refused


async def _accepted(connection: aio_pika.abc.AbstractConnection, namespace: str, exchange: Exchange, key: str,
                    body: bytes) -> bool:
    # A channel a body: the broker refuses an oversized one by closing its channel, not the connection.
    channel = await connection.channel(publisher_confirms=True)
    try:
        target = await channel.get_exchange(f"{namespace}.{exchange}", ensure=False)
        await target.publish(aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT), routing_key=key)
    except (aiormq.exceptions.ChannelPreconditionFailed, aiormq.exceptions.ChannelInvalidStateError,
            aio_pika.exceptions.ChannelClosed):
        return False
    finally:
        with contextlib.suppress(Exception):
            await channel.close()
    return True


def main() -> None:
    keys = [(exchange, key) for exchange, key in json.loads(sys.stdin.readline())]
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    sys.stdin.readline()  # "go"
    sys.stdout.write(f"{asyncio.run(_publish_oversized(sys.argv[1], sys.argv[2], keys))}\n")


if __name__ == "__main__":
    main()

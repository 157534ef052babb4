"""Poison on every routing key the services consume, over a real broker: a body that is not JSON, an
unknown type, a known type with a broken payload and a 5 MB body. Each is dead-lettered after a bounded
number of tries (a staff command that reads as an envelope is answered `command.rejected` instead, as every
refused command is), no consumer dies, and the good flow goes on meanwhile: its rate beside the poison,
against its rate alone, is the figure (issue 17 measured 84 %; the aim is 90 % or more).

Twice: on the shared broker, configured as RabbitMQ comes (every 5 MB body is stored by a quorum queue and
downloaded by each consumer, whose own bound dead-letters it unread), and on a node of the test's own
configured as the deployed brokers are (deploy/: `max_message_size`), which refuses the 5 MB body at the
door. The 90 % aim is judged on the second: it is the broker the product runs on. Rates are wall-clock on a
shared machine, so the rate is a figure (held or broke in `make faults`), not an assertion."""

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import aio_pika
import aiormq
import pytest

from shared.messages import Envelope
from shared.messaging.memory import topic_matches
from shared.messaging.port import COMMANDS, EVENTS, Exchange
from shared.producers import PRODUCERS
from shared.registry import PAYLOADS
from tests.support.broker_node import own_broker_node
from tests.support.figures import report_figure
from tests.support.histories import dossier_history
from tests.support.raw_amqp import DeadLetter, RawAmqp, raw_amqp
from tests.support.services_on_rabbitmq import RunningServices, services_on_rabbitmq
from tests.support.waiting import eventually

pytestmark = [pytest.mark.rabbitmq, pytest.mark.slow]

GOOD_DOSSIERS = 250  # three events each: created, updated, submitted
DEPLOYED_BROKER_CONFIG = Path(__file__).parents[2] / "deploy" / "rabbitmq" / "compose.conf"
OVERSIZE_BYTES = 5 * 1024 * 1024
KINDS = ("not_json", "unknown_type", "broken_payload", "oversize")
# What a staff command that is an envelope at all gets: an answer saying why, not a dead letter.
ANSWERED_ON_COMMANDS = ("unknown_type", "broken_payload")


def consumed_keys(running: RunningServices) -> dict[tuple[Exchange, str], list[str]]:
    """Every (exchange, routing key) some consumer is bound to, known types for patterns, and its queues."""
    keys: dict[tuple[Exchange, str], list[str]] = {}
    for service in running.services.values():
        for consumer in service.consumers:
            for pattern in consumer.bindings:
                for key in [known for known in PAYLOADS if topic_matches(pattern, known)] or [pattern]:
                    keys.setdefault((consumer.exchange, key), []).append(consumer.queue)
    return keys


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


async def good_flow(running: RunningServices, owner: str) -> float:
    """Seconds to publish the good dossiers' events and see the read model hold them all submitted."""
    started = time.monotonic()
    for number in range(GOOD_DOSSIERS):
        for event in dossier_history(f"{owner}-{number}", owner=owner)[:3]:
            await running.publisher.publish(event)

    async def all_submitted() -> bool:
        answer = await running.clients["query"].get("/status-counts", params={"owner_id": owner})
        return answer.status_code == 200 and answer.json()["submitted"] == GOOD_DOSSIERS

    await eventually(all_submitted, timeout=120, what=f"{GOOD_DOSSIERS} good dossiers submitted")
    return time.monotonic() - started


async def publish_poison(raw: RawAmqp, url: str, namespace: str, bodies: list[tuple[Exchange, str, bytes]]) -> int:
    """Publish every body; answer how many the broker refused at the door (each on a channel of its own,
    which the refusal closes)."""
    refused = 0
    for exchange, key, body in bodies:
        if len(body) <= OVERSIZE_BYTES:
            await raw.publish(body, routing_key=key, exchange=exchange)
        elif not await _accepted(url, namespace, exchange, key, body):
            refused += 1
    return refused


async def _accepted(url: str, namespace: str, exchange: Exchange, key: str, body: bytes) -> bool:
    connection = await aio_pika.connect(url)
    try:
        channel = await connection.channel(publisher_confirms=True)
        target = await channel.get_exchange(f"{namespace}.{exchange}", ensure=False)
        await target.publish(aio_pika.Message(body, delivery_mode=aio_pika.DeliveryMode.PERSISTENT), routing_key=key)
    except (aiormq.exceptions.ChannelPreconditionFailed, aiormq.exceptions.ChannelInvalidStateError,
            aio_pika.exceptions.ChannelClosed):
        return False
    finally:
        with contextlib.suppress(Exception):
            await connection.close()
    return True


@contextlib.asynccontextmanager
async def broker(configured: str) -> AsyncIterator[str | None]:
    """The shared broker (None: services_on_rabbitmq's own choice) or a node configured as deployed."""
    if configured == "shared":
        yield None
        return
    limits = [line for line in DEPLOYED_BROKER_CONFIG.read_text(encoding="utf-8").splitlines()
              if line.startswith("max_message_size")]
    assert limits, f"{DEPLOYED_BROKER_CONFIG} sets no max_message_size"
    with own_broker_node(limits) as node:
        yield node.url


def expected_dead_letters(keys: dict[tuple[Exchange, str], list[str]], *, oversize_refused: bool) -> Counter[str]:
    expected: Counter[str] = Counter()
    for (exchange, _key), queues in keys.items():
        kinds = [kind for kind in KINDS if (exchange == EVENTS or kind not in ANSWERED_ON_COMMANDS)
                 and not (oversize_refused and kind == "oversize")]
        for queue in queues:
            expected[queue] += len(kinds)
    return expected


@pytest.mark.parametrize("configured", ["shared", "deployed"])
async def test_poison_on_every_consumed_key_is_dead_lettered_and_the_good_flow_goes_on(configured: str) -> None:
    # Each flow on services of its own, started empty: the in-memory stores slow down as they fill, so a
    # second flow on the same ones would look slower whatever the poison did.
    async with broker(configured) as url:
        async with services_on_rabbitmq(amqp_url=url) as running:
            alone = await good_flow(running, f"alone-{uuid4().hex[:6]}")
        async with services_on_rabbitmq(amqp_url=url) as running, \
                raw_amqp(running.amqp_url, running.namespace) as raw:
            keys = consumed_keys(running)
            # Made beforehand: the poison's publisher is someone else, its work is not the consumers' to share.
            bodies = [(exchange, key, poison(kind, exchange, key)) for exchange, key in keys for kind in KINDS]
            poisoned_at = time.monotonic()
            beside, refused = await asyncio.gather(good_flow(running, f"beside-{uuid4().hex[:6]}"),
                                                   publish_poison(raw, running.amqp_url, running.namespace, bodies))
            oversized = sum(len(body) > OVERSIZE_BYTES for _exchange, _key, body in bodies)
            assert refused in (0, oversized), f"the broker refused {refused} of {oversized} oversized bodies"
            expected = expected_dead_letters(keys, oversize_refused=refused > 0)
            dead: dict[str, list[DeadLetter]] = {queue: [] for queue in expected}

            async def all_dead_lettered() -> bool:
                for queue in dead:
                    dead[queue].extend(await raw.take_dead_letters(queue))
                return all(len(dead[queue]) >= count for queue, count in expected.items())

            await eventually(all_dead_lettered, timeout=120, what="every poison message dead-lettered")
            seconds = time.monotonic() - poisoned_at
            ready = {name: (await client.get("/readyz")).status_code for name, client in running.clients.items()}
    letters = [letter for queue in dead.values() for letter in queue]
    tries = max(letter.attempts for letter in letters)
    rate = alone / beside
    where = ("the shared broker, as RabbitMQ comes: every 5 MB body stored and delivered" if configured == "shared" else
             "a broker configured as deployed (max_message_size): the 5 MB bodies refused at the door")
    report_figure(f"poison messages ({configured} broker)", f"{len(bodies)} poison messages ({', '.join(KINDS)}) on "
                  f"{len(keys)} consumed keys beside {GOOD_DOSSIERS} good dossiers, on {where}",
                  f"{len(letters)} dead letters, at most {tries} try each, all within {seconds:.1f} s; {refused} "
                  f"refused at publish; good flow at {rate:.0%} of its rate alone ({alone:.1f} s alone, {beside:.1f} s "
                  f"beside){' — the 90 % aim is judged on the deployed broker' if configured == 'shared' else ''}",
                  held=tries == 1 and (configured == "shared" or rate >= 0.9))
    assert {queue: len(found) for queue, found in dead.items()} == dict(expected)
    assert tries == 1
    assert set(ready.values()) == {200}, ready
    assert Counter(letter.reason for letter in letters).keys() <= {
        "unreadable", "unknown_type", "invalid_payload", "no_dossier_version", "rejected", "permanent_failure"}
    assert refused == (oversized if configured == "deployed" else 0)

"""Poison on every routing key the services consume, over a real broker: a body that is not JSON, an
unknown type, a known type with a broken payload and a 5 MB body. Each is dead-lettered after a bounded
number of tries (a staff command that reads as an envelope is answered `command.rejected` instead, as every
refused command is), no consumer dies, and the good flow goes on meanwhile: its rate beside the poison,
against its rate alone, is the figure (issue 17 measured 84 %; the aim is 90 % or more).

Twice: on the shared broker, configured as RabbitMQ comes (every 5 MB body is stored by a quorum queue and
downloaded by each consumer, whose own bound dead-letters it unread), and on a node of the test's own
configured as the deployed brokers are (deploy/: `max_message_size`), which refuses the 5 MB body at the
door. The 90 % aim is judged on the second: it is the broker the product runs on, and it runs there on a
machine of its own, so the node and the poison's sender are kept on a CPU the consumers do not use
(`consumers_apart`). Rates are wall-clock on a shared machine, so the rate is a figure (held or broke in
`make faults`, on the median of fifteen rounds), not an assertion."""

import asyncio
import contextlib
import os
import statistics
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from uuid import uuid4

import pytest

from shared.messaging.memory import topic_matches
from shared.messaging.port import EVENTS, Exchange
from shared.outbox import OutboxRelay, outbox_fields
from shared.registry import PAYLOADS
from shared.store.memory import MemoryStore
from tests.support.broker_node import own_broker_node
from tests.support.figures import report_figure
from tests.support.histories import dossier_history
from tests.support.poison import KINDS, oversized_sender, poison
from tests.support.raw_amqp import DeadLetter, RawAmqp, raw_amqp
from tests.support.services_on_rabbitmq import RunningServices, services_on_rabbitmq
from tests.support.waiting import eventually

pytestmark = [pytest.mark.rabbitmq, pytest.mark.slow]

GOOD_DOSSIERS = 250  # three events each: created, updated, submitted
# A flow of 250 dossiers takes about 3 s here, and one pair of them differs by up to 25 points from the next
# on a machine shared with the broker (one run of five rounds on the same code gave 69 %, 72 %, 99 %, 110 %,
# 70 %; the next 120 %, 95 %, 86 %, 98 %, 74 %): the median of five still moved from 72 % to 100 % between
# runs. `make faults` judges the median of fifteen alternations (a round takes about 10 s).
ROUNDS = 15 if os.environ.get("FAULTS_LONG") == "1" else 1
DEPLOYED_BROKER_CONFIG = Path(__file__).parents[2] / "deploy" / "rabbitmq" / "compose.conf"
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


async def good_flow(running: RunningServices, owner: str) -> float:
    """Seconds to publish the good dossiers' events and see the read model hold them all submitted.

    Published as intake publishes them: stored in the dossiers' outboxes, then relayed (the store and its
    relay made beforehand, so that only the publishing and the consuming are timed)."""
    dossiers = MemoryStore(f"good-flow-{owner}").db["dossiers"]
    await dossiers.insert_many([
        {"_id": f"{owner}-{number}", "updated_at": number,
         **outbox_fields(dossier_history(f"{owner}-{number}", owner=owner)[:3])}
        for number in range(GOOD_DOSSIERS)])
    relay = OutboxRelay(dossiers, running.publisher, service="poison-test")
    started = time.monotonic()
    while await relay.relay_pending():
        pass

    async def all_submitted() -> bool:
        answer = await running.clients["query"].get("/status-counts", params={"owner_id": owner})
        return answer.status_code == 200 and answer.json()["submitted"] == GOOD_DOSSIERS

    await eventually(all_submitted, timeout=120, what=f"{GOOD_DOSSIERS} good dossiers submitted")
    return time.monotonic() - started


async def publish_poison(raw: RawAmqp, bodies: list[tuple[Exchange, str, bytes]],
                         send_oversized: Callable[[], Awaitable[int]]) -> int:
    """Publish every body here while the oversized ones are sent from elsewhere; answer how many of those the
    broker refused at the door."""

    async def here() -> None:
        for exchange, key, body in bodies:
            await raw.publish(body, routing_key=key, exchange=exchange)

    _, refused = await asyncio.gather(here(), send_oversized())
    return refused


@contextlib.asynccontextmanager
async def broker(configured: str, apart: frozenset[int] | None) -> AsyncIterator[str | None]:
    """The shared broker (None: services_on_rabbitmq's own choice) or a node configured as deployed, on the
    CPUs `apart` when given."""
    if configured == "shared":
        yield None
        return
    limits = [line for line in DEPLOYED_BROKER_CONFIG.read_text(encoding="utf-8").splitlines()
              if line.startswith("max_message_size")]
    assert limits, f"{DEPLOYED_BROKER_CONFIG} sets no max_message_size"
    with own_broker_node(limits, cpus=apart) as node:
        yield node.url


@contextlib.contextmanager
def consumers_apart(configured: str) -> Iterator[frozenset[int] | None]:
    """As deployed, the broker on a machine of its own: here, the node and the poison's sender on the last
    CPU and the consumers (this process's event loop and the threads it starts) on the others, for the
    deployed broker on a machine with two CPUs or more; nothing kept apart otherwise (None)."""
    cpus = os.sched_getaffinity(0)
    if configured == "shared" or len(cpus) < 2:
        yield None
        return
    apart = frozenset({max(cpus)})
    os.sched_setaffinity(0, cpus - apart)
    try:
        yield apart
    finally:
        os.sched_setaffinity(0, cpus)


def expected_dead_letters(keys: dict[tuple[Exchange, str], list[str]], *, oversize_refused: bool) -> Counter[str]:
    expected: Counter[str] = Counter()
    for (exchange, _key), queues in keys.items():
        kinds = [kind for kind in KINDS if (exchange == EVENTS or kind not in ANSWERED_ON_COMMANDS)
                 and not (oversize_refused and kind == "oversize")]
        for queue in queues:
            expected[queue] += len(kinds)
    return expected


@dataclass
class Round:
    """One alternation: the good flow alone on fresh services, then beside the poison on fresh ones."""

    alone: float
    beside: float
    bodies: int
    keys: int  # an oversized body was sent on each
    refused: int
    expected: Counter[str]
    dead: dict[str, list[DeadLetter]]
    seconds: float
    ready: dict[str, int]

    @property
    def rate(self) -> float:
        return self.alone / self.beside


async def one_round(url: str | None, apart: frozenset[int] | None) -> Round:
    # Each flow on services of its own, started empty: the in-memory stores slow down as they fill, so a
    # second flow on the same ones would look slower whatever the poison did.
    async with services_on_rabbitmq(amqp_url=url) as running:
        alone = await good_flow(running, f"alone-{uuid4().hex[:6]}")
    async with services_on_rabbitmq(amqp_url=url) as running, raw_amqp(running.amqp_url, running.namespace) as raw:
        keys = consumed_keys(running)
        # Made beforehand, and the 5 MB ones sent by a process of their own (tests/support/poison.py says
        # why): the poison's sender is someone else, its work is not the consumers' to share.
        bodies = [(exchange, key, poison(kind, exchange, key)) for exchange, key in keys for kind in KINDS
                  if kind != "oversize"]
        async with oversized_sender(running.amqp_url, running.namespace, list(keys), apart) as send_oversized:
            poisoned_at = time.monotonic()
            beside, refused = await asyncio.gather(good_flow(running, f"beside-{uuid4().hex[:6]}"),
                                                   publish_poison(raw, bodies, send_oversized))
        expected = expected_dead_letters(keys, oversize_refused=refused > 0)
        dead: dict[str, list[DeadLetter]] = {queue: [] for queue in expected}

        async def all_dead_lettered() -> bool:
            for queue in dead:
                dead[queue].extend(await raw.take_dead_letters(queue))
            return all(len(dead[queue]) >= count for queue, count in expected.items())

        await eventually(all_dead_lettered, timeout=120, what="every poison message dead-lettered")
        seconds = time.monotonic() - poisoned_at
        ready = {name: (await client.get("/readyz")).status_code for name, client in running.clients.items()}
    return Round(alone, beside, len(bodies) + len(keys), len(keys), refused, expected, dead, seconds, ready)


@pytest.mark.parametrize("configured", ["shared", "deployed"])
async def test_poison_on_every_consumed_key_is_dead_lettered_and_the_good_flow_goes_on(configured: str) -> None:
    with consumers_apart(configured) as apart:
        async with broker(configured, apart) as url:
            rounds = [await one_round(url, apart) for _ in range(ROUNDS)]
    letters = [letter for one in rounds for queue in one.dead.values() for letter in queue]
    tries = max(letter.attempts for letter in letters)
    rate = statistics.median(one.rate for one in rounds)
    first = rounds[0]
    where = ("the shared broker, as RabbitMQ comes: every 5 MB body stored and delivered" if configured == "shared" else
             "a broker configured as deployed (max_message_size): the 5 MB bodies refused at the door")
    flows = ", ".join(f"{one.rate:.0%} ({one.alone:.1f} s alone, {one.beside:.1f} s beside)" for one in rounds)
    report_figure(f"poison messages ({configured} broker)", f"{first.bodies} poison messages ({', '.join(KINDS)}) on "
                  f"{first.keys} consumed keys beside {GOOD_DOSSIERS} good dossiers, on {where}; "
                  f"{ROUNDS} round{'s' if ROUNDS > 1 else ''}",
                  f"{len(letters) // ROUNDS} dead letters a round, at most {tries} try each, all within "
                  f"{max(one.seconds for one in rounds):.1f} s; {first.refused} refused at publish; good flow at "
                  f"{rate:.0%} of its rate alone{' (the median)' if ROUNDS > 1 else ''}: {flows}"
                  f"{' — the 90 % aim is judged on the deployed broker' if configured == 'shared' else ''}",
                  held=tries == 1 and (configured == "shared" or rate >= 0.9))
    for one in rounds:
        assert {queue: len(found) for queue, found in one.dead.items()} == dict(one.expected)
        assert set(one.ready.values()) == {200}, one.ready
        assert one.refused == (one.keys if configured == "deployed" else 0), f"{one.refused} of {one.keys} refused"
    assert tries == 1
    assert Counter(letter.reason for letter in letters).keys() <= {
        "unreadable", "unknown_type", "invalid_payload", "no_dossier_version", "rejected", "permanent_failure"}

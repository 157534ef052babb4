"""A publish whose confirm is still awaited when the connection is lost (issue 17's network cut).

aio-pika cancels the futures of the confirms it still awaits when the connection drops, so the publisher
saw a `CancelledError` that nobody had asked for. The outbox relay lets cancellations through, as it must
to stop, so it ended for good at the first heartbeat timeout: the services reconnected and said ready,
and never published again. Here the link to the real broker is black-holed through the tests' proxy while
a publish waits: the publish must fail as an ordinary error, and a relay running over that bus must carry
an event stored during the cut to a consumer once the link is back.
"""

import asyncio
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest

from shared.messages import Envelope
from shared.messaging.rabbitmq import BrokerLinkLost, RabbitBus
from shared.outbox import OUTBOX, OutboxRelay, outbox_fields
from shared.store.memory import MemoryStore
from tests.support.broker import require_rabbitmq, unique_namespace
from tests.support.tcp_proxy import BlackHoleProxy, through_proxy
from tests.support.waiting import eventually

pytestmark = [pytest.mark.rabbitmq, pytest.mark.slow]

HEARTBEAT_BOUND_SECONDS = 4
QUEUE = "spy"


@pytest.fixture()
async def proxy() -> AsyncIterator[BlackHoleProxy]:
    broker = urlsplit(require_rabbitmq())
    proxy = BlackHoleProxy(broker.hostname or "127.0.0.1", broker.port or 5672)
    proxy.start()
    yield proxy
    proxy.stop()


@pytest.fixture()
async def buses(proxy: BlackHoleProxy) -> AsyncIterator[tuple[RabbitBus, RabbitBus]]:
    """A bus through the proxy (the one cut) and one straight to the broker (the consumer's, never cut)."""
    namespace = unique_namespace()
    consuming = await RabbitBus.connect(require_rabbitmq(), namespace=namespace)
    cut = await RabbitBus.connect(through_proxy(require_rabbitmq(), proxy.port), namespace=namespace,
                                  heartbeat_seconds=HEARTBEAT_BOUND_SECONDS)
    yield cut, consuming
    await cut.close()
    await consuming.delete_topology([QUEUE])
    await consuming.close()


def _event(number: int) -> Envelope:
    return Envelope(type="test.published", producer="tests", data={"number": number})


async def test_a_publish_cut_off_from_its_confirm_fails_as_a_lost_link_not_a_cancellation(
        proxy: BlackHoleProxy, buses: tuple[RabbitBus, RabbitBus]) -> None:
    cut, _ = buses
    proxy.black_hole()
    publishing = asyncio.create_task(cut.publish(_event(1)))
    done, _ = await asyncio.wait({publishing}, timeout=4 * HEARTBEAT_BOUND_SECONDS)
    assert done, "the publish still waited for its confirm long after the heartbeat had noticed the cut"
    assert not publishing.cancelled()
    assert isinstance(publishing.exception(), BrokerLinkLost)
    # Nor does the consumer-lag sampler's question end its loop: the depth is unknown until the link is back.
    assert await asyncio.wait_for(cut.queue_depth(QUEUE), timeout=4 * HEARTBEAT_BOUND_SECONDS) is None


async def test_the_outbox_relay_outlives_a_cut_and_publishes_what_was_stored_during_it(
        proxy: BlackHoleProxy, buses: tuple[RabbitBus, RabbitBus]) -> None:
    cut, consuming = buses
    received: list[int] = []

    async def collect(envelope: Envelope) -> None:
        received.append(envelope.data["number"])

    await consuming.consume(QUEUE, ["test.#"], collect)
    documents = MemoryStore("relay-across-a-cut").db["documents"]
    relay = OutboxRelay(documents, cut, service="tests", poll_seconds=0.2)
    relaying = asyncio.create_task(relay.run())
    try:
        await documents.insert_one({"_id": "before", "updated_at": 1, **outbox_fields([_event(1)])})
        relay.notify()
        await eventually(lambda: received == [1], timeout=10, what="the event stored before the cut")

        proxy.black_hole()
        await documents.insert_one({"_id": "during", "updated_at": 2, **outbox_fields([_event(2)])})
        relay.notify()
        await eventually(lambda: not cut.connection.connected.is_set(), timeout=4 * HEARTBEAT_BOUND_SECONDS,
                         what="the heartbeat noticing the cut")
        proxy.restore()

        await eventually(lambda: received == [1, 2], timeout=30, what="the event stored during the cut")
        assert not relaying.done(), "the relay ended"
        stored = await documents.find_one({"_id": "during"})
        assert stored is not None and stored[OUTBOX] == []
    finally:
        relay.stop()
        await asyncio.wait_for(relaying, timeout=10)

"""The broker users against the real broker: each service may publish only the events it writes and read
only its own queues, staff tools only staff commands (shared/broker_users.py), and a service runs with its
user's rights. The users are created under the test's namespace and deleted afterwards."""

from collections.abc import AsyncIterator
from urllib.parse import quote, urlsplit, urlunsplit

import aio_pika
import aiormq
import pytest

from services.topology import queues_of
from shared.messages import Envelope
from shared.messaging.rabbitmq import RabbitBus
from tests.support.broker import require_rabbitmq, unique_namespace
from tests.support.broker_users import namespaced_broker_users
from tests.support.histories import dossier_history
from tests.support.waiting import eventually

pytestmark = [pytest.mark.rabbitmq, pytest.mark.slow]


def as_user(url: str, name: str, password: str) -> str:
    parts = urlsplit(url)
    host = f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)
    return urlunsplit((parts.scheme, f"{quote(name, safe='')}:{quote(password, safe='')}@{host}", parts.path or "/",
                       parts.query, ""))


async def may_publish(url: str, exchange: str, routing_key: str) -> bool:
    """Whether the broker confirms a publish on `exchange` with `routing_key` (False: access refused)."""
    connection = await aio_pika.connect(url)
    try:
        channel = await connection.channel(publisher_confirms=True)
        target = await channel.get_exchange(exchange, ensure=False)
        await target.publish(aio_pika.Message(b"{}"), routing_key=routing_key)
    except aiormq.exceptions.ChannelAccessRefused:
        return False
    finally:
        await connection.close()
    return True


async def may_read(url: str, queue: str) -> bool:
    connection = await aio_pika.connect(url)
    try:
        channel = await connection.channel()
        declared = await channel.declare_queue(queue, passive=True)
        await declared.get(fail=False)
    except aiormq.exceptions.ChannelAccessRefused:
        return False
    finally:
        await connection.close()
    return True


@pytest.fixture
async def users() -> AsyncIterator[tuple[str, str, dict[str, str]]]:
    """The broker's URL, the namespace, and each user's URL (the namespace's topology made by guest)."""
    url = require_rabbitmq()
    namespace = unique_namespace()
    guest = await RabbitBus.connect(url, namespace=namespace)

    async def ignore(_event: Envelope) -> None:
        pass

    try:
        for queue in ("intake", "query"):  # declared, then left to their services' users
            await guest.stop_consuming(await guest.consume(queue, ["nothing.yet"], ignore), grace_seconds=1)
        async with namespaced_broker_users(namespace) as credentials:
            yield url, namespace, {user: as_user(url, *pair) for user, pair in credentials.items()}
    finally:
        await guest.delete_topology(queues_of("intake", "query"))
        await guest.close()


async def test_each_user_writes_only_where_it_publishes_and_reads_only_its_own_queues(
        users: tuple[str, str, dict[str, str]]) -> None:
    _url, ns, url_of = users
    events, commands = f"{ns}.events", f"{ns}.commands"
    assert await may_publish(url_of["intake"], events, "dossier.submitted")
    assert not await may_publish(url_of["intake"], events, "dossier.received")  # processing's event
    assert not await may_publish(url_of["intake"], commands, "staff.accept")
    assert await may_publish(url_of["processing"], events, "dossier.received")
    assert await may_publish(url_of["processing"], events, "command.completed")
    assert not await may_publish(url_of["processing"], events, "dossier.paid")  # payment's event
    assert not await may_publish(url_of["notify"], events, "dossier.frobnicated")
    assert not await may_publish(url_of["query"], events, "dossier.received")  # query publishes nothing
    assert await may_publish(url_of["staff-tools"], commands, "staff.accept")
    assert not await may_publish(url_of["staff-tools"], events, "dossier.received")
    assert not await may_publish(url_of["staff-tools"], commands, "dossier.received")
    # Nobody writes into another's queues by name: not through the default exchange, not as a dead letter.
    assert not await may_publish(url_of["intake"], "", f"{ns}.query")
    assert not await may_publish(url_of["notify"], f"{ns}.dead", f"{ns}.query")
    assert not await may_publish(url_of["intake"], f"{ns}.query.retry", f"{ns}.query.retry")
    assert await may_publish(url_of["query"], f"{ns}.query.retry", f"{ns}.query.retry")
    assert await may_read(url_of["query"], f"{ns}.query")
    assert not await may_read(url_of["query"], f"{ns}.intake")
    assert not await may_read(url_of["staff-tools"], f"{ns}.query")
    # And a service runs with its own user's rights: its bus connects, declares, binds, consumes, publishes.
    received: list[Envelope] = []

    async def keep(event: Envelope) -> None:
        received.append(event)

    # Failing once, so that the retry goes through query's own retry exchange under query's user.
    failures = [RuntimeError("once")]

    async def keep_after_a_retry(event: Envelope) -> None:
        if failures:
            raise failures.pop()
        await keep(event)

    query = await RabbitBus.connect(url_of["query"], namespace=ns)
    intake = await RabbitBus.connect(url_of["intake"], namespace=ns)
    try:
        await query.consume("query", ["dossier.#"], keep_after_a_retry)
        [created] = dossier_history("d-users")[:1]
        await intake.publish(created)
        await eventually(lambda: received, timeout=10, what="intake's event reaching query's queue, retried once")
        assert received[0].id == created.id and not failures
    finally:
        await intake.close()
        await query.close()

"""Notify's queue on the real broker: bound to the status changes it tells, the same reception delivered
twice sends one acceptance email, and an unreadable event ends in the dead-letter queue."""

from collections.abc import AsyncIterator

import pytest

from services.notify.consumers import QUEUE
from services.notify.tests import events
from services.notify.tests.events import REGISTERED, new_dossier_id
from services.notify.tests.harness import NotifyHarness, start_notify, stop_notify
from shared.messages import Envelope
from shared.messaging.rabbitmq import RabbitBus
from tests.support.broker import require_rabbitmq, unique_namespace
from tests.support.smtp_sink import SmtpSink
from tests.support.waiting import eventually

pytestmark = pytest.mark.rabbitmq


@pytest.fixture()
async def over_rabbitmq() -> AsyncIterator[tuple[NotifyHarness, SmtpSink]]:
    bus = await RabbitBus.connect(require_rabbitmq(), namespace=unique_namespace(), retry_delay_seconds=0.2,
                                  max_attempts=3)
    sink = SmtpSink()
    await sink.start()
    harness = await start_notify(bus=bus, smtp_host="127.0.0.1", smtp_port=sink.port, smtp_tls="none")
    try:
        yield harness, sink
    finally:
        await stop_notify(harness, close_bus=False)  # the topology is deleted through it
        await bus.delete_topology([QUEUE, harness.spy_queue])
        await bus.close()
        await sink.stop()


async def test_a_reception_delivered_twice_over_rabbitmq_sends_one_email(
    over_rabbitmq: tuple[NotifyHarness, SmtpSink],
) -> None:
    harness, sink = over_rabbitmq
    dossier_id = new_dossier_id()
    reception = events.received(dossier_id)
    await harness.publish(events.submitted(dossier_id), reception, reception)
    barrier = new_dossier_id()
    await harness.publish(events.submitted(barrier), events.received(barrier))
    await eventually(lambda: len(sink.received) >= 2, timeout=15, what="both acceptance emails")
    await harness.wait_for_state(barrier, "sent")
    assert len([mail for mail in sink.to(REGISTERED) if dossier_id in mail.message["Message-ID"]]) == 1
    await eventually(lambda: harness.reported("notification.sent", dossier_id), timeout=10, what="the report")


async def test_an_unreadable_event_is_dead_lettered(over_rabbitmq: tuple[NotifyHarness, SmtpSink]) -> None:
    harness, _sink = over_rabbitmq
    await harness.publish(Envelope(type="dossier.rejected", producer="processing", dossier_id="d-z", version=3,
                                   data={"reason": ""}))
    dead: list[Envelope] = []

    async def dead_lettered() -> bool:
        dead.extend(await harness.bus.take_dead_letters(QUEUE))
        return bool(dead)

    await eventually(dead_lettered, timeout=15, what="the dead letter")
    assert [letter.type for letter in dead] == ["dossier.rejected"]

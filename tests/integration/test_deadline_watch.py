"""The daily deadline watch with two processing replicas on one store, over the real RabbitMQ, with a clock
the test moves: each dossier gets exactly one `dossier.due_soon` and one `dossier.overdue`, and notify
mails each once to the citizen and once to the division's staff mailbox (a real SMTP server on loopback).
A new appointment (reschedule) warns again, for its own date."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

import pytest

from services.notify.consumers import QUEUE as NOTIFY_QUEUE
from services.notify.tests.fakes import KnownContacts
from services.notify.tests.harness import NotifyHarness, start_notify, stop_notify
from services.processing.consumers import COMMANDS_QUEUE, HAND_OVERS_QUEUE
from services.processing.tests.harness import OWNER, Harness, start_processing_service, stop_processing_service
from services.processing.workers import DeadlineWatch
from shared.messaging.rabbitmq import RabbitBus
from shared.store.memory import MemoryStore
from shared.timezones import local_zone
from tests.support.broker import require_rabbitmq, unique_namespace
from tests.support.smtp_sink import SmtpSink
from tests.support.waiting import eventually

pytestmark = pytest.mark.rabbitmq
DIVISION_MAILBOX = "phong-nghiep-vu-y@syt.example.vn"  # SYT-KCB-02's division: Khám bệnh, chữa bệnh
CITIZEN = f"{OWNER}@example.vn"  # what notify's stand-in for intake answers
_VIETNAM = local_zone("Asia/Ho_Chi_Minh")


@dataclass
class Watched:
    replicas: list[Harness]
    notify: NotifyHarness
    sink: SmtpSink

    def at(self, moment: datetime) -> None:
        """Both replicas' clock (the test's clock) at `moment`."""
        for replica in self.replicas:
            replica.clock.now = moment

    async def watched(self, moment: datetime) -> None:
        """Move the clock to `moment` and wait until both replicas have run the watch for that day."""
        self.at(moment)
        day = moment.astimezone(_VIETNAM).date()

        def both_ran() -> bool:
            return all(_watch(replica).done_for == day for replica in self.replicas)

        await eventually(both_ran, timeout=15, what=f"both replicas watched {day}")

    def warnings(self, kind: str) -> dict[str, list[Any]]:
        found: dict[str, list[Any]] = {}
        for event in self.replicas[0].events:
            if event.type == f"dossier.{kind}":
                found.setdefault(event.dossier_id or "", []).append(event.id)
        return found

    def mails(self, subject: str, to: str) -> list[Any]:
        return [mail for mail in self.sink.to(to) if subject in str(mail.message["Subject"])]


def _watch(replica: Harness) -> DeadlineWatch:
    [watch] = [worker for worker in replica.service.workers if isinstance(worker, DeadlineWatch)]
    return watch


@pytest.fixture()
async def watched() -> AsyncIterator[Watched]:
    sink = SmtpSink()
    await sink.start()
    bus = await RabbitBus.connect(require_rabbitmq(), namespace=unique_namespace(), retry_delay_seconds=0.2,
                                  max_attempts=3)
    memory = MemoryStore("hoso_processing")
    settings: dict[str, Any] = {"deadline_watch_at": time(7, 0), "deadline_poll_seconds": 0.05,
                                "due_soon_working_days": 2}
    first = await start_processing_service(bus=bus, memory=memory, **settings)
    second = await start_processing_service(bus=bus, memory=memory, **settings)
    notify = await start_notify(bus=bus, contacts=KnownContacts(CITIZEN), smtp_host="127.0.0.1",
                                smtp_port=sink.port, smtp_tls="none",
                                division_mailboxes={"Khám bệnh, chữa bệnh": DIVISION_MAILBOX},
                                attach_slips=False)
    try:
        yield Watched([first, second], notify, sink)
    finally:
        await stop_notify(notify, close_bus=False)
        await stop_processing_service(second, close_bus=False)
        await stop_processing_service(first, close_bus=False)
        await bus.delete_topology([HAND_OVERS_QUEUE, COMMANDS_QUEUE, NOTIFY_QUEUE, first.spy_queue,
                                   second.spy_queue, notify.spy_queue])
        await bus.close()
        await asyncio.wait_for(sink.stop(), timeout=10)


async def test_two_replicas_warn_each_dossier_once_per_due_date(watched: Watched) -> None:
    first = watched.replicas[0]
    dossiers = [await first.submit() for _ in range(4)]
    for dossier_id in dossiers:
        assert (await first.act(dossier_id, "accept")).status_code == 200  # 3 March 2026: due 17 March
    # Thursday 12 March, 08:00: three working days left, not yet due soon.
    await watched.watched(datetime(2026, 3, 12, 1, 0, tzinfo=UTC))
    assert watched.warnings("due_soon") == {}
    # Friday 13 March, 08:00: two working days left (Monday and Tuesday). Then Monday, the watch again.
    await watched.watched(datetime(2026, 3, 13, 1, 0, tzinfo=UTC))
    await watched.watched(datetime(2026, 3, 16, 1, 0, tzinfo=UTC))
    await eventually(lambda: len(watched.warnings("due_soon")) == len(dossiers), timeout=15, what="every warning")
    # Wednesday 18 March: a day late.
    await watched.watched(datetime(2026, 3, 18, 1, 0, tzinfo=UTC))
    await watched.watched(datetime(2026, 3, 19, 1, 0, tzinfo=UTC))
    await eventually(lambda: len(watched.warnings("overdue")) == len(dossiers), timeout=15, what="every overdue")

    due_soon_mails = "sắp đến hạn trả kết quả"
    await eventually(lambda: len(watched.mails("đã quá hạn", CITIZEN)) == len(dossiers), timeout=20,
                     what="the citizen's overdue mails")
    await eventually(lambda: len(watched.mails("[Quá hạn]", DIVISION_MAILBOX)) == len(dossiers), timeout=20,
                     what="the division's overdue mails")
    # A barrier: a dossier accepted after all this, its acceptance mail delivered, so nothing is still on its way.
    barrier = await first.submit()
    assert (await first.act(barrier, "accept")).status_code == 200
    await eventually(lambda: len(watched.mails("đã được tiếp nhận", CITIZEN)) == len(dossiers) + 1, timeout=20,
                     what="the barrier's acceptance mail")
    for kind in ("due_soon", "overdue"):
        warned = watched.warnings(kind)
        # One event each (its id; both replicas' outbox relays may publish a copy of it, which consumers drop).
        assert sorted(warned) == sorted(dossiers) and all(len(set(ids)) == 1 for ids in warned.values())
    assert len(watched.mails(due_soon_mails, CITIZEN)) == len(dossiers)
    assert len(watched.mails("[Sắp đến hạn]", DIVISION_MAILBOX)) == len(dossiers)
    assert len(watched.mails("đã quá hạn", CITIZEN)) == len(watched.mails("[Quá hạn]", DIVISION_MAILBOX)) == 4
    assert "còn 2 ngày làm việc" in watched.mails(due_soon_mails, CITIZEN)[0].body("plain")
    message_ids = [mail.message["Message-ID"] for mail in watched.sink.received]
    assert len(message_ids) == len(set(message_ids))


async def test_a_new_appointment_warns_again_for_its_own_date(watched: Watched) -> None:
    first = watched.replicas[0]
    dossier_id = await first.submit()
    assert (await first.act(dossier_id, "accept")).status_code == 200  # due 17 March
    await watched.watched(datetime(2026, 3, 13, 1, 0, tzinfo=UTC))
    await eventually(lambda: dossier_id in watched.warnings("due_soon"), timeout=15, what="the first warning")
    moved = await first.act(dossier_id, "reschedule", new_due_date="2026-03-24", reason="Chờ thẩm định")
    assert moved.status_code == 200, moved.text
    await watched.watched(datetime(2026, 3, 20, 1, 0, tzinfo=UTC))  # Friday: 2 working days to the 24th
    await eventually(lambda: len(set(watched.warnings("due_soon").get(dossier_id, []))) == 2, timeout=15,
                     what="a warning for the new date")
    due_dates = sorted({event.data["due_date"] for event in first.events
                        if event.type == "dossier.due_soon" and event.dossier_id == dossier_id})
    assert due_dates == ["2026-03-17", "2026-03-24"]
    assert watched.warnings("overdue") == {}  # the first date passed, but it is not the one that counts

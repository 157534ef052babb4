"""Notify without SMTP_HOST keeps mail in the development mailbox (GET /mailbox), and two notify replicas
on one store share the work without sending any delivery twice."""

import asyncio
from typing import Any

from services.notify.tests import events
from services.notify.tests.events import LOOKUP_CODE, REGISTERED, TYPED_IN_FORM, new_dossier_id
from services.notify.tests.harness import start_notify, stop_notify
from shared.store.memory import MemoryStore
from tests.support.smtp_sink import SmtpSink
from tests.support.waiting import eventually


async def test_without_smtp_host_the_development_mailbox_shows_the_mail() -> None:
    harness = await start_notify()  # no SMTP_HOST
    try:
        dossier_id = new_dossier_id()
        await harness.publish(events.submitted(dossier_id), events.received(dossier_id),
                              events.rejected(new_dossier_id()))

        async def mailbox() -> list[dict[str, str]]:
            answer = await harness.client.get("/mailbox")
            assert answer.status_code == 200
            items: list[dict[str, str]] = answer.json()["items"]
            return items

        await eventually(mailbox, timeout=10, what="a mail in the development mailbox")
        [mail] = await mailbox()
        assert mail["recipient"] == REGISTERED and TYPED_IN_FORM not in mail["text"]
        assert mail["subject"] == f"Hồ sơ {LOOKUP_CODE} đã được tiếp nhận"
        assert LOOKUP_CODE in mail["text"] and LOOKUP_CODE in mail["html"]
        assert mail["message_id"].startswith(f"<notify.{dossier_id}.v3.received@")
        [delivery] = await harness.wait_for_state(dossier_id, "sent")
        assert delivery["label"] == "Thông báo tiếp nhận hồ sơ" and delivery["state_label"] == "Đã gửi"
    finally:
        await stop_notify(harness)


async def test_with_smtp_host_there_is_no_development_mailbox() -> None:
    sink = SmtpSink()  # never started: only the settings matter here
    harness = await start_notify(smtp_host="127.0.0.1", smtp_port=sink.port)
    try:
        answer = await harness.client.get("/mailbox")
        assert answer.status_code == 404 and answer.json()["error"]["code"] == "mailbox_not_in_use"
    finally:
        await stop_notify(harness)


async def test_two_replicas_on_one_store_send_each_delivery_once() -> None:
    sink = SmtpSink()
    await sink.start()
    shared = MemoryStore("hoso_notify")
    settings: dict[str, Any] = {"smtp_host": "127.0.0.1", "smtp_port": sink.port, "smtp_tls": "none",
                                "delivery_workers": 3}
    first = await start_notify(memory=shared, **settings)
    second = await start_notify(bus=first.bus, memory=shared, **settings)  # competes for queue "notify"
    try:
        dossiers = [new_dossier_id() for _ in range(15)]
        for dossier_id in dossiers:
            reception = events.received(dossier_id)
            await first.publish(events.submitted(dossier_id), reception, reception)
            # Redelivered by the relay of a processing replica: a fresh copy, the same event.
            await first.publish(reception)
        await eventually(lambda: len(sink.received) >= len(dossiers), timeout=15, what="every acceptance email")
        for dossier_id in dossiers:
            await first.wait_for_state(dossier_id, "sent")
        barrier = new_dossier_id()
        await first.publish(events.submitted(barrier), events.received(barrier))
        await eventually(lambda: any(barrier in mail.message["Message-ID"] for mail in sink.received), timeout=10)
        message_ids = [mail.message["Message-ID"] for mail in sink.received]
        assert len(message_ids) == len(set(message_ids)) == len(dossiers) + 1
        # Each delivery reported sent once: two relays on one outbox may both publish a report, but then
        # it is the same event (one id), which consumers drop as a duplicate.
        await eventually(lambda: len({report.id for report in first.reported("notification.sent")})
                         == len(dossiers) + 1, timeout=5, what="a report of every delivery")
        reports = {report.id: report.data["notification_id"] for report in first.reported("notification.sent")}
        assert len(set(reports.values())) == len(reports)
    finally:
        await stop_notify(second, close_bus=False)
        await stop_notify(first)
        await asyncio.wait_for(sink.stop(), timeout=10)

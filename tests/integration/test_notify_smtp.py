"""Notify over a real SMTP server on loopback (aiosmtpd): the acceptance email reaches the address the
citizen registered, with the lookup code, exactly once — also when the event comes twice, and when the
mail server is down at first — and a delivery that keeps failing ends `failed`, reported.

The real bootstrap on the in-process bus and the in-memory store; SMTP_TLS=none to the local server.
"""

from collections.abc import AsyncIterator
from typing import Any

import pytest

from services.notify.tests import events
from services.notify.tests.events import LOOKUP_CODE, REGISTERED, TYPED_IN_FORM, new_dossier_id
from services.notify.tests.harness import NotifyHarness, start_notify, stop_notify
from tests.support.smtp_sink import SmtpSink
from tests.support.waiting import eventually


@pytest.fixture()
async def smtp() -> AsyncIterator[SmtpSink]:
    sink = SmtpSink()
    try:
        yield sink
    finally:
        await sink.stop()


async def notify_over(sink: SmtpSink, **settings: Any) -> NotifyHarness:
    return await start_notify(smtp_host="127.0.0.1", smtp_port=sink.port, smtp_tls="none",
                              smtp_from="Cổng Dịch vụ công Sở Y tế <khong-tra-loi@syt.example.vn>", **settings)


async def delivered_through(harness: NotifyHarness, sink: SmtpSink, barrier_id: str) -> None:
    """Wait until a later dossier's acceptance email arrived: everything published before it was handled."""
    await harness.publish(events.submitted(barrier_id), events.received(barrier_id))
    await eventually(lambda: any(barrier_id in mail.message["Message-ID"] for mail in sink.received),
                     timeout=10, what="the barrier's email")


async def test_the_acceptance_email_reaches_the_registered_address_with_the_lookup_code(smtp: SmtpSink) -> None:
    await smtp.start()
    harness = await notify_over(smtp)
    try:
        dossier_id = new_dossier_id()
        await harness.publish(events.submitted(dossier_id), events.received(dossier_id))
        await eventually(lambda: smtp.received, timeout=10, what="the acceptance email")
        [mail] = smtp.received
        assert mail.rcpt_tos == [REGISTERED] and smtp.to(TYPED_IN_FORM) == []
        assert mail.message["To"] == REGISTERED
        assert mail.message["Subject"] == f"Hồ sơ {LOOKUP_CODE} đã được tiếp nhận"
        assert "Cổng Dịch vụ công Sở Y tế" in mail.message["From"]
        for body in (mail.body("plain"), mail.body("html")):
            assert LOOKUP_CODE in body
            assert "31/03/2026" in body  # the due date
            assert f"http://127.0.0.1:8000/tra-cuu?ma={LOOKUP_CODE}" in body  # the portal's lookup page
            assert "Cấp lại chứng chỉ hành nghề" in body
        [delivery] = await harness.wait_for_state(dossier_id, "sent")
        assert delivery["masked_recipient"] == "b***n@e***.vn" and delivery["attempts"] == 1
        await eventually(lambda: harness.reported("notification.sent", dossier_id), timeout=5, what="the report")
        [report] = harness.reported("notification.sent", dossier_id)
        assert report.data["template"] == "received" and report.data["masked_recipient"] == "b***n@e***.vn"
        assert REGISTERED not in report.model_dump_json()
    finally:
        await stop_notify(harness)


async def test_the_same_reception_delivered_twice_sends_one_email(smtp: SmtpSink) -> None:
    await smtp.start()
    harness = await notify_over(smtp)
    try:
        dossier_id = new_dossier_id()
        reception = events.received(dossier_id)
        await harness.publish(events.submitted(dossier_id), reception, reception)
        await delivered_through(harness, smtp, new_dossier_id())
        assert len([mail for mail in smtp.received if dossier_id in mail.message["Message-ID"]]) == 1
        assert [item["state"] for item in await harness.wait_for_state(dossier_id, "sent")] == ["sent"]
    finally:
        await stop_notify(harness)


async def test_a_mail_server_down_at_first_gets_the_email_once_it_is_back(smtp: SmtpSink) -> None:
    harness = await notify_over(smtp, delivery_max_attempts=1000)  # the port is closed: nothing listens
    try:
        dossier_id = new_dossier_id()
        await harness.publish(events.submitted(dossier_id), events.received(dossier_id))

        async def tried_and_waiting() -> bool:
            found = await harness.deliveries(dossier_id)
            return bool(found) and found[0]["attempts"] >= 2 and found[0]["state"] == "pending"

        await eventually(tried_and_waiting, timeout=10, what="two failed attempts, and the delivery waiting")
        [waiting] = await harness.deliveries(dossier_id)
        assert waiting["error_type"] in ("SMTPConnectError", "SMTPConnectTimeoutError")
        await smtp.start()
        await eventually(lambda: smtp.received, timeout=10, what="the email, once the server is back")
        [delivery] = await harness.wait_for_state(dossier_id, "sent")
        await delivered_through(harness, smtp, new_dossier_id())
        assert len(smtp.to(REGISTERED)) == 2  # this dossier's and the barrier's: once each
        assert delivery["attempts"] >= 3 and delivery["error_type"] is None
    finally:
        await stop_notify(harness)


async def test_a_delivery_that_keeps_failing_ends_failed_and_is_reported(smtp: SmtpSink) -> None:
    smtp.reply_to_data = "451 4.3.0 Mailbox temporarily unavailable"
    await smtp.start()
    harness = await notify_over(smtp, delivery_max_attempts=3)
    try:
        dossier_id = new_dossier_id()
        await harness.publish(events.submitted(dossier_id), events.received(dossier_id))
        [delivery] = await harness.wait_for_state(dossier_id, "failed")
        assert delivery["attempts"] == 3 and delivery["error_type"] == "SMTPDataError(451)"
        assert delivery["state_label"] == "Gửi không thành công"
        await eventually(lambda: harness.reported("notification.failed", dossier_id), timeout=5,
                         what="NotificationFailed")
        [report] = harness.reported("notification.failed", dossier_id)
        assert report.data["error_type"] == "SMTPDataError(451)" and report.causation_id is not None
        assert smtp.received == [] and harness.reported("notification.sent") == []
        # The lifecycle never waited: the event was handled, nothing is dead-lettered.
        assert await harness.bus.take_dead_letters("notify") == []
    finally:
        await stop_notify(harness)


async def test_a_mailbox_refused_for_good_fails_at_once(smtp: SmtpSink) -> None:
    smtp.reply_to_data = "550 5.1.1 No such user"
    await smtp.start()
    harness = await notify_over(smtp, delivery_max_attempts=5)
    try:
        dossier_id = new_dossier_id()
        await harness.publish(events.submitted(dossier_id), events.received(dossier_id))
        [delivery] = await harness.wait_for_state(dossier_id, "failed")
        assert delivery["attempts"] == 1 and delivery["error_type"] == "MailRefused(550)"
    finally:
        await stop_notify(harness)

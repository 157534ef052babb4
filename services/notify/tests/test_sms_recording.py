"""Which status changes get an SMS beside the mail: the notices in the SMS table, to the phone the
account registered (never the form's), one delivery per change, and none for an account without a phone."""

from collections.abc import AsyncIterator

import pytest

from services.notify.tests import events
from services.notify.tests.events import LOOKUP_CODE, REGISTERED_PHONE, new_dossier_id
from services.notify.tests.fakes import FakeSmsProvider, FakeTransport
from services.notify.tests.harness import NotifyHarness, start_notify, stop_notify
from shared.logging import configure_logging, get_logger
from tests.support.waiting import eventually

FORM_PHONE = "0912000111"  # the applicant's phone typed into the form (tests/events.py)


@pytest.fixture()
def sms() -> FakeSmsProvider:
    return FakeSmsProvider()


@pytest.fixture()
async def notify(sms: FakeSmsProvider) -> AsyncIterator[NotifyHarness]:
    harness = await start_notify(transport=FakeTransport(), sms_provider=sms)
    try:
        yield harness
    finally:
        await stop_notify(harness)


async def test_the_told_changes_each_send_one_sms_to_the_registered_phone(
    notify: NotifyHarness, sms: FakeSmsProvider,
) -> None:
    dossier_id = new_dossier_id()
    received = events.received(dossier_id)
    notify.contacts.hold(dossier_id, phone=REGISTERED_PHONE)
    await notify.publish(events.submitted(dossier_id), received, received,
                         events.payment_requested(dossier_id), events.paid(dossier_id),
                         events.result_issued(dossier_id), events.result_returned(dossier_id))
    await notify.wait_for_state(dossier_id, "sent", count=5 + 3)
    assert sorted(message.delivery_id.split(".")[-2] for message in sms.sent) == [
        "payment_requested", "received", "result_ready"]  # paid and returned: mail only
    assert {message.phone for message in sms.sent} == {REGISTERED_PHONE}
    assert len({message.request_id for message in sms.sent}) == 3
    first = next(message for message in sms.sent if ".received." in message.delivery_id)
    assert LOOKUP_CODE in first.text and "Da tiep nhan" in first.text and "http://127.0.0.1:8000" in first.text
    shown = [item for item in await notify.deliveries(dossier_id) if item["channel"] == "sms"]
    assert {item["masked_recipient"] for item in shown} == {"***321"}
    assert REGISTERED_PHONE not in str(await notify.deliveries(dossier_id))
    await eventually(lambda: len(notify.reported("notification.sent", dossier_id)) == 8, timeout=5,
                     what="the reports")
    sms_reports = [report for report in notify.reported("notification.sent", dossier_id)
                   if report.data["channel"] == "sms"]
    assert {report.data["masked_recipient"] for report in sms_reports} == {"***321"} and len(sms_reports) == 3


async def test_an_account_without_a_phone_gets_mail_only(notify: NotifyHarness, sms: FakeSmsProvider) -> None:
    dossier_id = new_dossier_id()
    await notify.publish(events.submitted(dossier_id), events.rejected(dossier_id))
    [delivery] = await notify.wait_for_state(dossier_id, "sent")
    assert delivery["channel"] == "email" and sms.sent == []  # never the form's phone, FORM_PHONE


async def test_a_rejection_sms_goes_to_the_registered_phone_never_the_forms(
    notify: NotifyHarness, sms: FakeSmsProvider,
) -> None:
    dossier_id = new_dossier_id()
    notify.contacts.hold(dossier_id, phone=REGISTERED_PHONE)
    await notify.publish(events.submitted(dossier_id), events.rejected(dossier_id))
    await notify.wait_for_state(dossier_id, "sent", count=2)
    [message] = sms.sent
    assert message.phone == REGISTERED_PHONE != FORM_PHONE
    assert message.delivery_id == f"{dossier_id}.v3.rejected.sms"


async def test_no_phone_number_reaches_the_logs(
    notify: NotifyHarness, sms: FakeSmsProvider, capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("notify", "DEBUG")
    dossier_id = new_dossier_id()
    notify.contacts.hold(dossier_id, phone=REGISTERED_PHONE)
    await notify.publish(events.submitted(dossier_id), events.received(dossier_id))
    await notify.wait_for_state(dossier_id, "sent", count=2)
    get_logger("test").info("slipped_through", owner_phone=REGISTERED_PHONE, phone_number=REGISTERED_PHONE,
                            recipient=REGISTERED_PHONE)
    written = capsys.readouterr().err
    assert "delivery_sent" in written and "slipped_through" in written  # the logs were captured
    assert REGISTERED_PHONE not in written and REGISTERED_PHONE[3:] not in written

"""What notify records and sends for each status change, through the real bootstrap with a fake transport:
one message per change, to the registered address, never the typed one; and what it refuses or holds."""

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest

from services.notify.tests import events
from services.notify.tests.events import LOOKUP_CODE, REGISTERED, TYPED_IN_FORM, new_dossier_id
from services.notify.tests.fakes import FakeTransport
from services.notify.tests.harness import NotifyHarness, start_notify, stop_notify
from shared.messages import Envelope
from shared.messaging.memory import InProcessBus
from tests.support.waiting import eventually


@pytest.fixture()
def transport() -> FakeTransport:
    return FakeTransport()


@pytest.fixture()
async def notify(transport: FakeTransport) -> AsyncIterator[NotifyHarness]:
    harness = await start_notify(transport=transport)
    try:
        yield harness
    finally:
        await stop_notify(harness)


async def test_the_whole_lifecycle_sends_each_message_once_to_the_registered_address(
    notify: NotifyHarness, transport: FakeTransport,
) -> None:
    dossier_id = new_dossier_id()
    await notify.publish(events.submitted(dossier_id), events.received(dossier_id),
                         events.payment_requested(dossier_id), events.paid(dossier_id),
                         events.result_issued(dossier_id), events.result_returned(dossier_id))
    await notify.wait_for_state(dossier_id, "sent", count=5)
    assert sorted(transport.templates()) == sorted(
        ["received", "payment_requested", "paid", "result_ready", "result_returned"])
    assert {mail.recipient for mail in transport.sent} == {REGISTERED}
    paid = next(mail for mail in transport.sent if mail.delivery_id.endswith(".paid"))
    assert paid.subject == f"Xác nhận đã thanh toán hồ sơ {LOOKUP_CODE}"  # the code, from the book
    assert "Cấp mới giấy phép hành nghề khám bệnh, chữa bệnh" in paid.text  # the procedure, from the catalog


async def test_a_rejection_goes_to_the_address_the_submission_named(
    notify: NotifyHarness, transport: FakeTransport,
) -> None:
    dossier_id = new_dossier_id()
    await notify.publish(events.submitted(dossier_id), events.rejected(dossier_id))
    await eventually(lambda: transport.sent, timeout=5, what="the rejection")
    [mail] = transport.sent
    assert mail.recipient == REGISTERED and TYPED_IN_FORM not in mail.text + mail.html
    assert "Thiếu bản sao văn bằng chuyên môn" in mail.text


async def test_the_latest_submissions_title_is_used_even_when_an_older_one_comes_again(
    notify: NotifyHarness, transport: FakeTransport,
) -> None:
    dossier_id = new_dossier_id()
    first = events.submitted(dossier_id, 2, title="Tên cũ")
    await notify.publish(first, events.submitted(dossier_id, 5, title="Tên mới"), first,
                         events.rejected(dossier_id, 6))
    await eventually(lambda: transport.sent, timeout=5, what="the rejection")
    assert transport.sent[0].subject == "Hồ sơ “Tên mới” không được tiếp nhận"


async def test_an_account_without_an_email_gets_a_delivery_failed_at_once(
    notify: NotifyHarness, transport: FakeTransport,
) -> None:
    dossier_id = new_dossier_id()
    notify.contacts.hold(dossier_id, email=None)
    await notify.publish(events.submitted(dossier_id), events.received(dossier_id))
    [delivery] = await notify.wait_for_state(dossier_id, "failed")
    assert (delivery["error_type"], delivery["attempts"], delivery["masked_recipient"]) == (
        "NoRegisteredEmail", 0, None)
    await eventually(lambda: notify.reported("notification.failed", dossier_id), timeout=5, what="the report")
    assert transport.sent == []


async def test_the_address_is_asked_of_intake_once_and_a_redelivered_event_asks_nothing(
    notify: NotifyHarness, transport: FakeTransport,
) -> None:
    dossier_id = new_dossier_id()
    received = events.received(dossier_id)
    await notify.publish(events.submitted(dossier_id), received)
    await notify.wait_for_state(dossier_id, "sent")
    assert notify.contacts.asked == [dossier_id]  # the reception's delivery; the submission tells nothing
    await notify.publish(received)  # the outbox relay published it twice, or the bus redelivered it
    barrier = new_dossier_id()
    await notify.publish(events.submitted(barrier), events.rejected(barrier))
    await eventually(lambda: len(transport.sent) == 2, timeout=5, what="the barrier's email")
    assert notify.contacts.asked == [dossier_id, barrier]
    assert [mail.recipient for mail in transport.sent] == [REGISTERED, REGISTERED]


async def test_a_dossier_intake_does_not_know_gets_a_delivery_failed_at_once(notify: NotifyHarness) -> None:
    dossier_id = new_dossier_id()
    notify.contacts.forget(dossier_id)
    await notify.publish(events.submitted(dossier_id), events.rejected(dossier_id))
    [delivery] = await notify.wait_for_state(dossier_id, "failed")
    assert delivery["error_type"] == "NoRegisteredEmail"


async def test_while_intake_is_away_the_change_is_tried_again_and_recorded_once_it_answers(
    transport: FakeTransport,
) -> None:
    # The bus's retries, enough of them for the test to let intake come back before the event is dead.
    bus = InProcessBus(namespace=f"notify-test-{uuid4().hex[:6]}", retry_delay_seconds=0.05, max_attempts=100)
    notify = await start_notify(bus=bus, transport=transport)
    try:
        notify.contacts.away = True
        dossier_id = new_dossier_id()
        await notify.publish(events.submitted(dossier_id), events.received(dossier_id))
        await eventually(lambda: len(notify.contacts.asked) >= 3, timeout=5, what="the retries")
        assert await notify.deliveries(dossier_id) == []  # never recorded without its address
        notify.contacts.away = False
        [delivery] = await notify.wait_for_state(dossier_id, "sent")
        assert delivery["template"] == "received" and transport.sent[0].recipient == REGISTERED
    finally:
        await stop_notify(notify)


async def test_a_reception_again_after_a_supplement_sends_nothing_more(
    notify: NotifyHarness, transport: FakeTransport,
) -> None:
    dossier_id = new_dossier_id()
    await notify.publish(events.submitted(dossier_id), events.received(dossier_id),
                         events.supplement_requested(dossier_id, 4),
                         events.received(dossier_id, 6, first_reception=False))
    await notify.wait_for_state(dossier_id, "sent", count=2)
    barrier = new_dossier_id()
    await notify.publish(events.submitted(barrier), events.rejected(barrier))
    await eventually(lambda: len(transport.sent) == 3, timeout=5, what="the barrier's email")
    assert [item["template"] for item in await notify.deliveries(dossier_id)] == [
        "received", "supplement_requested"]


async def test_a_change_for_a_dossier_nobody_named_is_retried_then_dead_lettered(notify: NotifyHarness) -> None:
    dossier_id = new_dossier_id()
    await notify.publish(events.rejected(dossier_id))  # its submission never reached notify
    dead: list[Envelope] = []

    async def dead_lettered() -> bool:
        dead.extend(await notify.bus.take_dead_letters("notify"))
        return bool(dead)

    await eventually(dead_lettered, timeout=5, what="the dead letter")
    assert [letter.type for letter in dead] == ["dossier.rejected"]
    assert await notify.deliveries(dossier_id) == []


async def test_a_malformed_event_is_dead_lettered_at_once(notify: NotifyHarness) -> None:
    without_version = Envelope(type="dossier.received", producer="processing", dossier_id="d-x", data={})
    invalid = Envelope(type="dossier.rejected", producer="processing", dossier_id="d-y", version=3,
                       data={"reason": ""})
    await notify.publish(without_version, invalid)
    dead: list[Envelope] = []

    async def both_dead() -> bool:
        dead.extend(await notify.bus.take_dead_letters("notify"))
        return len(dead) == 2

    await eventually(both_dead, timeout=5, what="both dead letters")
    assert await notify.deliveries("d-x") == await notify.deliveries("d-y") == []


async def test_a_failed_delivery_can_be_tried_again(notify: NotifyHarness, transport: FakeTransport) -> None:
    transport.refuse = True
    dossier_id = new_dossier_id()
    await notify.publish(events.submitted(dossier_id), events.received(dossier_id))
    [failed] = await notify.wait_for_state(dossier_id, "failed")
    assert failed["error_type"] == "MailRefused(550)" and failed["attempts"] == 1
    transport.refuse = False
    answer = await notify.client.post(f"/deliveries/{failed['id']}/retry")
    assert answer.status_code == 200 and answer.json()["state"] in ("pending", "sending", "sent")
    await notify.wait_for_state(dossier_id, "sent")
    assert len(transport.sent) == 1
    again = await notify.client.post(f"/deliveries/{failed['id']}/retry")
    assert again.status_code == 409 and again.json()["error"]["code"] == "delivery_not_failed"
    missing = await notify.client.post("/deliveries/nothing-here/retry")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "delivery_not_found"


async def test_passing_failures_are_retried_and_the_log_never_shows_the_address(
    notify: NotifyHarness, transport: FakeTransport,
) -> None:
    transport.passing_failures = 2
    dossier_id = new_dossier_id()
    await notify.publish(events.submitted(dossier_id), events.received(dossier_id))
    [delivery] = await notify.wait_for_state(dossier_id, "sent")
    assert delivery["attempts"] == 3 and len(transport.sent) == 1
    answer = await notify.client.get("/deliveries", params={"dossier_id": dossier_id})
    assert REGISTERED not in answer.text and "facts" not in answer.text and "Cấp lại" not in answer.text
    assert delivery["masked_recipient"] == "b***n@e***.vn"

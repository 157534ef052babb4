"""Notify's eSMS.vn adapter against eSMS's API played on loopback (tests/support/esms_provider.py), through
notify's real bootstrap and sender: taken once; the provider's error retried, then failed with its code;
a timeout after the provider took the message retried without a second SMS; wrong keys failed at once."""

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from services.notify.adapters.esms import EsmsProvider
from services.notify.tests import events
from services.notify.tests.events import LOOKUP_CODE, REGISTERED_PHONE, new_dossier_id
from services.notify.tests.fakes import FakeTransport
from services.notify.tests.harness import NotifyHarness, start_notify, stop_notify
from tests.support.esms_provider import API_KEY, SECRET_KEY, FakeEsms
from tests.support.waiting import eventually

BRANDNAME = "SOYTE"


@pytest.fixture()
async def esms() -> AsyncIterator[FakeEsms]:
    provider = FakeEsms()
    await provider.start()
    try:
        yield provider
    finally:
        await provider.stop()


@pytest.fixture()
async def start(esms: FakeEsms) -> AsyncIterator[Callable[..., Any]]:
    started: list[NotifyHarness] = []
    providers: list[EsmsProvider] = []

    async def start_with(*, secret_key: str = SECRET_KEY, client_timeout: float = 5.0) -> NotifyHarness:
        provider = EsmsProvider(url=esms.url, api_key=API_KEY, secret_key=secret_key, brandname=BRANDNAME,
                                unicode=False, sandbox=False, timeout=client_timeout)
        providers.append(provider)
        harness = await start_notify(transport=FakeTransport(), sms_provider=provider)
        started.append(harness)
        return harness

    yield start_with
    for harness in started:
        await stop_notify(harness)
    for provider in providers:
        await provider.close()


async def reception(notify: NotifyHarness) -> str:
    dossier_id = new_dossier_id()
    notify.contacts.hold(dossier_id, phone=REGISTERED_PHONE)
    await notify.publish(events.submitted(dossier_id), events.received(dossier_id))
    return dossier_id


async def sms_delivery(notify: NotifyHarness, dossier_id: str, state: str) -> dict[str, Any]:
    async def settled() -> bool:
        return any(item["channel"] == "sms" and item["state"] == state for item in await notify.deliveries(dossier_id))

    await eventually(settled, timeout=15, what=f"the SMS delivery {state}")
    [found] = [item for item in await notify.deliveries(dossier_id) if item["channel"] == "sms"]
    return found


async def test_the_provider_takes_the_message_once_as_its_api_describes(
    esms: FakeEsms, start: Callable[..., Any],
) -> None:
    notify = await start()
    dossier_id = await reception(notify)
    delivery = await sms_delivery(notify, dossier_id, "sent")
    assert delivery["attempts"] == 1 and delivery["id"] == f"{dossier_id}.v3.received.sms"
    [body] = esms.received
    assert {key: body[key] for key in ("ApiKey", "SecretKey", "Phone", "Brandname", "SmsType", "IsUnicode")} == {
        "ApiKey": API_KEY, "SecretKey": SECRET_KEY, "Phone": REGISTERED_PHONE.removeprefix("+"), "Brandname": BRANDNAME,
        "SmsType": "2", "IsUnicode": "0"}
    assert LOOKUP_CODE in body["Content"] and len(body["Content"]) <= 160 and body["Content"].isascii()
    assert list(esms.delivered) == [body["RequestId"]]


async def test_a_provider_error_is_retried_then_failed_with_the_providers_code(
    esms: FakeEsms, start: Callable[..., Any],
) -> None:
    esms.answer_code = 103  # not enough balance: eSMS's error, worth trying again later
    notify = await start()
    dossier_id = await reception(notify)
    delivery = await sms_delivery(notify, dossier_id, "failed")
    assert (delivery["attempts"], delivery["error_type"]) == (3, "SmsProviderError(103)")  # FAST: 3 attempts
    assert len(esms.received) == 3 and esms.delivered == {}
    assert len({body["RequestId"] for body in esms.received}) == 1  # every attempt the same request
    await eventually(lambda: [report for report in notify.reported("notification.failed", dossier_id)
                              if report.data["channel"] == "sms"], timeout=5, what="notification.failed")


async def test_a_timeout_after_the_provider_took_it_is_retried_without_a_second_sms(
    esms: FakeEsms, start: Callable[..., Any],
) -> None:
    esms.slow = True  # takes the message, then answers after the client gave up waiting
    notify = await start(client_timeout=0.5)
    dossier_id = await reception(notify)
    delivery = await sms_delivery(notify, dossier_id, "sent")
    assert delivery["attempts"] >= 2 and delivery["error_type"] is None
    assert len(esms.received) == delivery["attempts"]
    assert len(esms.delivered) == 1  # the retry was answered 124, "already taken": one SMS reached the phone
    assert len({body["RequestId"] for body in esms.received}) == 1


async def test_wrong_credentials_fail_at_once_not_forever(esms: FakeEsms, start: Callable[..., Any]) -> None:
    notify = await start(secret_key="not-the-secret")
    dossier_id = await reception(notify)
    delivery = await sms_delivery(notify, dossier_id, "failed")
    assert (delivery["attempts"], delivery["error_type"]) == (1, "SmsRefused(101)")
    assert len(esms.received) == 1 and esms.delivered == {}
    mail = next(item for item in await notify.deliveries(dossier_id) if item["channel"] == "email")
    assert mail["state"] == "sent"  # the mail does not depend on the SMS

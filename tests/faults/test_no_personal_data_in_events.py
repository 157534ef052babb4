"""No personal data on the events exchange (issue 17, item 8, the events half): a whole journey with a known
applicant (name, id number, phone, email, address, the form), by a citizen whose token carries a known
`email` and `phone_number` (the account's, where notify sends mail and SMS), through `make run-services` over
the real RabbitMQ, every event the services publish captured by a queue of the test's own bound to `#` on the
run's events exchange — what any reader of it, a staff tool included, could bind — and none of the
applicant's values nor the account's found in any of them, as written or JSON-escaped; while the mail and
the SMS did reach the account's address and phone (notify asked intake for them). What each event carries,
and why, is the table in docs/architecture.md."""

import asyncio
import json
from uuid import uuid4

import aio_pika
import pytest

from tests.e2e.client import ok, sign_in
from tests.e2e.conftest import run_services
from tests.faults.test_no_personal_data_in_logs import journey, known_account, known_applicant
from tests.support.figures import report_figure
from tests.support.waiting import eventually_sync

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.rabbitmq]

# The journey's last status change: once it is on the tap, every event before it is too.
LAST = "dossier.result_returned"


async def _tap(amqp_url: str, namespace: str, queue: str, *, take: bool) -> list[aio_pika.abc.AbstractIncomingMessage]:
    """Declare the tap (bound to every key) or, with `take`, take what it holds so far off it."""
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        tap = await channel.declare_queue(queue, durable=False, auto_delete=False)
        if not take:
            await tap.bind(await channel.get_exchange(f"{namespace}.events", ensure=False), routing_key="#")
            return []
        taken = []
        while (message := await tap.get(fail=False)) is not None:
            await message.ack()
            taken.append(message)
        return taken
    finally:
        await connection.close()


async def _delete(amqp_url: str, queue: str) -> None:
    connection = await aio_pika.connect(amqp_url)
    try:
        await (await connection.channel()).queue_delete(queue)
    finally:
        await connection.close()


def tapped_journey(amqp_url: str, namespace: str, base_url: str, applicant: dict[str, str],
                   account: dict[str, str]) -> list[tuple[str, str]]:
    """The journey, and the (type, body) of every event published meanwhile, in order."""
    queue = f"{namespace}.test-tap-{uuid4().hex[:6]}"
    captured: list[tuple[str, str]] = []
    asyncio.run(_tap(amqp_url, namespace, queue, take=False))
    try:
        journey(base_url, applicant, account)

        def took_the_last() -> bool:
            for message in asyncio.run(_tap(amqp_url, namespace, queue, take=True)):
                captured.append((message.routing_key or "", message.body.decode("utf-8")))
            return any(kind == LAST for kind, _ in captured)

        eventually_sync(took_the_last, timeout=60, what=f"{LAST} on the tap")
    finally:
        asyncio.run(_delete(amqp_url, queue))
    return captured


def told_the_account(base_url: str, account: dict[str, str]) -> tuple[int, int]:
    """How many mails and SMS reached the account's address and phone (the development mailbox and SMS sink,
    as a citizen signed in with them sees them): notify found them without any event carrying them."""
    told = (0, 0)

    def some_of_each() -> bool:
        nonlocal told
        with sign_in(base_url, email=account["account email"], phone_number=account["account phone"]) as citizen:
            mails = [item for item in ok(citizen.get("/v1/dev/mailbox"))["items"]
                     if item["recipient"] == account["account email"]]
            texts = [item for item in ok(citizen.get("/v1/dev/sms"))["items"]
                     if item["recipient"] == account["account phone"]]
        told = (len(mails), len(texts))
        return all(told)

    eventually_sync(some_of_each, timeout=60, what="a mail and an SMS to the account")
    return told


def test_a_whole_journey_publishes_none_of_the_applicants_nor_the_accounts_personal_data() -> None:
    applicant, account = known_applicant(), known_account()
    captured: list[tuple[str, str]] = []
    for product in run_services(log_name=f"faults-no-personal-data-events-{uuid4().hex[:8]}"):
        assert product.amqp_url and product.namespace
        captured = tapped_journey(product.amqp_url, product.namespace, product.base_url, applicant, account)
        mails, texts = told_the_account(product.base_url, account)
    kinds = {kind for kind, _ in captured}
    assert {"dossier.draft_created", "dossier.draft_updated", "dossier.submitted", "dossier.received",
            "dossier.payment_requested"} <= kinds, kinds
    found = sorted({f"{name} in {kind}" for name, value in {**applicant, **account}.items()
                    for kind, body in captured if value in body or json.dumps(value)[1:-1] in body})
    report_figure("no personal data in events (services)", "a whole journey with a known applicant and a known "
                  "account (the token's email and phone_number) over RabbitMQ, every event on the events exchange "
                  "read through a queue bound to #",
                  f"{len(captured)} events of {len(kinds)} types; applicant or account values found: "
                  f"{', '.join(found) or 'none'}; the account told by {mails} mails and {texts} SMS",
                  held=not found)
    assert not found, found

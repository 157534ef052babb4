"""Paying a dossier's fees through the gateway, against `make run` and `make run-services` alike: online
through the sandbox's checkout (driven over HTTP as a browser drives it), at the office with the staff's
confirmation, a cancelled checkout paid again, forged reports refused, and a fee paid never asked again (only
an additional fee, with its reason). Each ends where processing takes over again, up to the result. Reads
right after a command need no wait (read-your-writes).
"""

import json
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urljoin

import aio_pika
import httpx
import pytest

from tests.e2e.client import detail, ok, sign_in, submitted_dossier
from tests.e2e.conftest import Product
from tests.e2e.test_notifications import registered_email
from tests.e2e.test_staff_commands_over_amqp import command
from tests.support.waiting import eventually, eventually_sync

pytestmark = pytest.mark.e2e

FEE = 360_000  # SYT-KCB-01: Phí thẩm định cấp giấy phép hành nghề
PROCEDURE_FEE = {"kind": "phi", "name": "Phí thẩm định cấp giấy phép hành nghề", "amount_vnd": FEE}
EXPERT_VISIT = {"kind": "phi", "name": "Phí thẩm định thực tế tại cơ sở", "amount_vnd": 500_000}
REASON = "Cơ sở đề nghị thẩm định thực tế lần hai."
FEE_ALREADY_PAID = ("Phí, lệ phí của thủ tục đã được thanh toán; chỉ có thể yêu cầu thu thêm khoản phí bổ sung "
                    "với lý do.")
FORM_ACTION = re.compile(r'<form method="post" action="([^"]+)"')


@pytest.fixture()
def browser(base_url: str) -> Iterator[httpx.Client]:
    """No login and no token: the provider's checkout page is reached by its unguessable address."""
    with httpx.Client(base_url=base_url, timeout=15, follow_redirects=False) as client:
        yield client


def act(staff: httpx.Client, dossier_id: str, action: str, status: int = 200, **body: Any) -> dict[str, Any]:
    answer: dict[str, Any] = ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/{action}", json=body or None), status)
    return answer


def asked_to_pay(citizen: httpx.Client, staff: httpx.Client, **items: Any) -> str:
    """A dossier received, being processed, and asked to pay the procedure's fee (or the `items` given)."""
    dossier_id = submitted_dossier(citizen)
    for action in ("accept", "start-processing"):
        act(staff, dossier_id, action)
    requested = act(staff, dossier_id, "request-payment", **items)
    assert requested["status"] == "payment_requested"
    return dossier_id


def press(browser: httpx.Client, checkout_url: str, button: str) -> str:
    """Open the sandbox's checkout page and press one of its buttons; the payment's state on the way back."""
    page = browser.get(checkout_url)
    assert page.status_code == 200 and f"{FEE:,}".replace(",", ".") + " ₫" in page.text
    actions = FORM_ACTION.findall(page.text)
    [action] = [found for found in actions if found.endswith(f"/{button}")]
    pressed = browser.post(urljoin(str(page.url), action))
    assert pressed.status_code == 303, pressed.text
    way_back = pressed.headers["location"]
    # A browser goes on to the portal's page, which shows the outcome on the dossier's detail.
    landed = browser.get(way_back)
    assert landed.status_code == 303 and landed.headers["location"].startswith("/thanh-toan/ket-qua/sandbox?")
    # What that page reads: the outcome as payment verified it, and the dossier it is about.
    seen = browser.get(way_back, headers={"Accept": "application/json"})
    assert seen.status_code == 200 and seen.json()["verified"] is True, seen.text
    return str(seen.json()["state"])


def history(client: httpx.Client, dossier_id: str) -> list[str]:
    return [entry["to"] for entry in detail(client, dossier_id)["history"]]


def processed_to_the_result(staff: httpx.Client, citizen: httpx.Client, dossier_id: str) -> None:
    act(staff, dossier_id, "start-processing")
    issued = staff.post(f"/v1/staff/dossiers/{dossier_id}/issue-result", data={"summary": "Cấp giấy phép số 77/GP."})
    assert ok(issued)["status"] == "result_ready"
    assert detail(citizen, dossier_id)["status"] == "result_ready"


def test_paid_online_through_the_sandbox(citizen: httpx.Client, staff: httpx.Client, browser: httpx.Client) -> None:
    dossier_id = asked_to_pay(citizen, staff)
    asked = detail(citizen, dossier_id)
    assert (asked["status"], asked["status_label"], asked["actions"]) == (
        "payment_requested", "Yêu cầu thanh toán", ["pay"])
    assert asked["payment"]["state"] == "requested" and asked["payment"]["amount_vnd"] == FEE
    assert asked["payment"]["items"] == [{"kind": "phi", "name": "Phí thẩm định cấp giấy phép hành nghề",
                                          "amount_vnd": FEE}]
    assert asked["payment"]["methods"] == ["online", "at_office", "postal"]

    started = ok(citizen.post(f"/v1/dossiers/{dossier_id}/payments", json={"method": "online"}))
    assert (started["state"], started["amount_vnd"], started["provider"]) == ("pending", FEE, "sandbox")
    assert detail(citizen, dossier_id)["payment"]["state"] == "pending"

    assert press(browser, started["checkout_url"], "pay") == "paid"
    paid = detail(citizen, dossier_id)
    assert (paid["status"], paid["status_label"], paid["actions"]) == ("paid", "Đã thanh toán", [])
    assert (paid["payment"]["state"], paid["payment"]["method"]) == ("paid", "online")
    assert paid["payment"]["receipt_number"].startswith("BL-") and paid["payment"]["paid_at"]

    processed_to_the_result(staff, citizen, dossier_id)
    assert history(citizen, dossier_id)[-5:] == ["processing", "payment_requested", "paid", "processing",
                                                 "result_ready"]


def test_a_fee_paid_stays_paid_and_only_an_additional_fee_with_its_reason_is_asked(
        citizen: httpx.Client, staff: httpx.Client, browser: httpx.Client) -> None:
    dossier_id = asked_to_pay(citizen, staff)
    started = ok(citizen.post(f"/v1/dossiers/{dossier_id}/payments", json={"method": "online"}))
    assert press(browser, started["checkout_url"], "pay") == "paid"
    act(staff, dossier_id, "start-processing")
    first = detail(citizen, dossier_id)
    first_receipt = first["payment"]["receipt_number"]
    assert first_receipt.startswith("BL-") and first["payments"] == [first["payment"]]

    # The bug: the procedure's fee asked a second time. Now refused, and so is any item paid already.
    assert act(staff, dossier_id, "request-payment", status=409)["error"] == {
        "code": "fee_already_paid", "message": FEE_ALREADY_PAID}
    paid_again = act(staff, dossier_id, "request-payment", status=409, items=[EXPERT_VISIT, PROCEDURE_FEE],
                     reason=REASON)["error"]
    assert paid_again["code"] == "fee_item_already_paid"
    assert paid_again["fields"] == {"items.1": f"Khoản này đã được thanh toán (biên lai {first_receipt})."}
    no_reason = act(staff, dossier_id, "request-payment", status=422, items=[EXPERT_VISIT])["error"]
    assert (no_reason["code"], set(no_reason["fields"])) == ("validation_error", {"reason"})
    assert settled(detail(citizen, dossier_id)) == settled(first)

    asked = act(staff, dossier_id, "request-payment", items=[EXPERT_VISIT], reason=REASON)
    assert asked["status"] == "payment_requested"
    shown = detail(citizen, dossier_id)
    assert (shown["payment"]["state"], shown["payment"]["amount_vnd"], shown["payment"]["reason"]) == (
        "requested", 500_000, REASON)
    assert shown["history"][-1]["reason"] == REASON
    assert [payment["receipt_number"] for payment in shown["payments"]] == [first_receipt, None]

    assert act(staff, dossier_id, "confirm-payment", method="at_office", receipt_number="0007788")["status"] == "paid"
    for reader in (citizen, staff):
        path = f"/v1/{'staff/' if reader is staff else ''}dossiers/{dossier_id}"
        both = ok(reader.get(path))["payments"]
        assert [(payment["state"], payment["method"], payment["amount_vnd"], payment["receipt_number"])
                for payment in both] == [("paid", "online", FEE, first_receipt),
                                         ("paid", "at_office", 500_000, "0007788")]
        assert [payment["items"] for payment in both] == [[PROCEDURE_FEE], [EXPERT_VISIT]]
    processed_to_the_result(staff, citizen, dossier_id)

    # Two payment requests, two emails; the second says why. Read as the citizen: the mailbox may show a
    # citizen their own mail only.
    address = registered_email(citizen)

    def payment_requests_mailed() -> list[dict[str, Any]]:
        mails = ok(citizen.get("/v1/dev/mailbox"))["items"]
        return [mail for mail in mails if mail["recipient"] == address and "Yêu cầu thanh toán" in mail["subject"]]

    eventually_sync(lambda: len(payment_requests_mailed()) == 2, timeout=15, what="both payment-request emails")
    assert sorted(REASON in mail["text"] for mail in payment_requests_mailed()) == [False, True]


def test_paid_at_the_office(citizen: httpx.Client, staff: httpx.Client) -> None:
    items = [{"kind": "phi", "name": "Phí thẩm định hồ sơ", "amount_vnd": 300_000},
             {"kind": "le_phi", "name": "Lệ phí cấp giấy phép", "amount_vnd": 60_000}]
    dossier_id = asked_to_pay(citizen, staff, items=items)
    assert (detail(citizen, dossier_id)["payment"]["items"], detail(citizen, dossier_id)["payment"]["amount_vnd"]) == (
        items, 360_000)
    chosen = ok(citizen.post(f"/v1/dossiers/{dossier_id}/payments", json={"method": "at_office"}))
    assert (chosen["state"], chosen["checkout_url"]) == ("pending", None)
    waiting = detail(citizen, dossier_id)
    assert (waiting["payment"]["state"], waiting["payment"]["method"], waiting["actions"]) == (
        "pending", "at_office", ["pay_online"])  # bring the money, or still change their mind and pay online

    assert act(staff, dossier_id, "confirm-payment", status=422, method="at_office")["error"]["fields"]
    confirmed = act(staff, dossier_id, "confirm-payment", method="at_office", receipt_number="0001234")
    assert confirmed["status"] == "paid"
    paid = detail(citizen, dossier_id)
    assert (paid["status"], paid["payment"]["state"], paid["payment"]["receipt_number"]) == ("paid", "paid", "0001234")
    again = act(staff, dossier_id, "confirm-payment", status=409, method="at_office", receipt_number="0001235")
    assert again["error"]["code"] == "transition_not_allowed"
    processed_to_the_result(staff, citizen, dossier_id)


def test_a_cancelled_checkout_shows_failed_and_can_be_paid_again(
        citizen: httpx.Client, staff: httpx.Client, browser: httpx.Client) -> None:
    dossier_id = asked_to_pay(citizen, staff)
    first = ok(citizen.post(f"/v1/dossiers/{dossier_id}/payments", json={"method": "online"}))
    assert press(browser, first["checkout_url"], "cancel") == "cancelled"
    cancelled = detail(citizen, dossier_id)
    assert (cancelled["status"], cancelled["payment"]["state"], cancelled["actions"]) == (
        "payment_requested", "failed", ["pay"])
    # The old checkout cannot be paid any more; a new one can.
    assert "không còn thanh toán được" in browser.get(first["checkout_url"]).text
    second = ok(citizen.post(f"/v1/dossiers/{dossier_id}/payments", json={"method": "online"}))
    assert second["checkout_url"] != first["checkout_url"]
    assert press(browser, second["checkout_url"], "pay") == "paid"
    assert detail(citizen, dossier_id)["payment"]["state"] == "paid"
    processed_to_the_result(staff, citizen, dossier_id)


def test_forged_reports_and_other_peoples_dossiers_change_nothing(
        base_url: str, citizen: httpx.Client, staff: httpx.Client, browser: httpx.Client) -> None:
    dossier_id = asked_to_pay(citizen, staff)
    started = ok(citizen.post(f"/v1/dossiers/{dossier_id}/payments", json={"method": "online"}))
    reference = started["checkout_url"].rsplit("/", 1)[-1]
    before = detail(citizen, dossier_id)
    forged = {"reference": reference, "amount": str(FEE), "outcome": "paid", "transaction_id": "X",
              "sent_at": "1772503200", "signature": "0" * 64}
    refused = browser.post("/v1/payments/callbacks/sandbox", data=forged)
    assert (refused.status_code, refused.json()["error"]["code"]) == (400, "callback_bad_signature")
    assert browser.get("/v1/payments/callbacks/vnpay", params={"vnp_TxnRef": reference}).status_code == 404
    assert settled(detail(citizen, dossier_id)) == settled(before)

    with sign_in(base_url) as stranger:
        other = stranger.post(f"/v1/dossiers/{dossier_id}/payments", json={"method": "online"})
        assert (other.status_code, other.json()["error"]["code"]) == (404, "dossier_not_found")
    assert citizen.post(f"/v1/dossiers/{dossier_id}/payments", json={"method": "cash"}).status_code == 422
    assert staff.post(f"/v1/dossiers/{dossier_id}/payments", json={"method": "online"}).status_code == 403
    assert act(staff, dossier_id, "start-processing", status=409)["error"]["code"] == "transition_not_allowed"
    assert settled(detail(citizen, dossier_id)) == settled(before)


@pytest.mark.rabbitmq
async def test_staff_tools_request_and_confirm_payment_over_amqp_each_answered_by_its_holder(
        distributed: Product) -> None:
    """`staff.request-payment` goes to processing, `staff.confirm-payment` to payment only: one answer each; once
    paid and processed again, the procedure's fee asked again over AMQP is refused."""
    assert distributed.amqp_url and distributed.namespace
    with sign_in(distributed.base_url) as citizen, sign_in(distributed.base_url, roles=["staff"]) as staff:
        dossier_id = submitted_dossier(citizen)
        act(staff, dossier_id, "accept")
        connection = await aio_pika.connect(distributed.amqp_url)
        try:
            channel = await connection.channel()
            commands = await channel.get_exchange(f"{distributed.namespace}.commands")
            events = await channel.get_exchange(f"{distributed.namespace}.events")
            answers_queue = await channel.declare_queue(exclusive=True)
            await answers_queue.bind(events, routing_key="command.#")
            answers: list[dict[str, Any]] = []

            async def collect(message: aio_pika.abc.AbstractIncomingMessage) -> None:
                async with message.process():
                    answers.append(json.loads(message.body))

            await answers_queue.consume(collect)

            def answered(command_id: str) -> Callable[[], bool]:
                return lambda: any(answer["causation_id"] == command_id for answer in answers)

            sent: dict[str, str] = {}
            for action, data in (("request-payment", {}),
                                 ("confirm-payment", {"method": "postal", "receipt_number": "BD-778899"})):
                command_id, message = command(action, dossier_id, data)
                await commands.publish(message, routing_key=f"staff.{action}")
                sent[action] = command_id
                await eventually(answered(command_id), timeout=20, what=f"an answer to {action}")
            await eventually(lambda: detail(citizen, dossier_id)["status"] == "paid", timeout=10,
                             what="the read model shows the dossier paid")
            assert detail(citizen, dossier_id)["payment"]["receipt_number"] == "BD-778899"

            act(staff, dossier_id, "start-processing")
            again_id, message = command("request-payment", dossier_id, {})
            await commands.publish(message, routing_key="staff.request-payment")
            await eventually(answered(again_id), timeout=20, what="an answer to request-payment again")
            detail_after_refusal = detail(citizen, dossier_id)
        finally:
            await connection.close()

    by_command = {action: [(answer["producer"], answer["type"], answer["data"].get("status"))
                           for answer in answers if answer["causation_id"] == command_id]
                  for action, command_id in sent.items()}
    assert by_command == {"request-payment": [("processing", "command.completed", "payment_requested")],
                          "confirm-payment": [("payment", "command.completed", "paid")]}
    [refused] = [answer for answer in answers if answer["causation_id"] == again_id]
    assert (refused["producer"], refused["type"], refused["data"]["code"], refused["data"]["reason"]) == (
        "processing", "command.rejected", "fee_already_paid", FEE_ALREADY_PAID)
    assert detail_after_refusal["status"] == "processing"


def settled(shown: dict[str, Any]) -> dict[str, Any]:
    """The detail without what arrives on its own after a step (the mails and SMS told, the slips issued), so
    that "changed nothing" compares what a refused command could have changed."""
    return {key: value for key, value in shown.items() if key not in {"notifications", "slips"}}

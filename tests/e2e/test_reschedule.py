"""Rescheduling with an apology (xin lỗi và hẹn lại ngày trả kết quả) in both ways to run, mail going to a real
SMTP server: over HTTP and as an AMQP command from a staff tool; the allowed and refused cases, the history
with the reason, the new appointment beside the original due date, the apology slip (Mẫu số 04) issued,
listed and linked from the apology mail, and the apology SMS in the development sink. The runs are
tests/e2e/conftest.py's, sending mail to a real SMTP server here."""

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import aio_pika
import httpx
import jwt
import pytest

from shared.timezones import local_day, local_zone
from shared.working_calendar import load_calendar
from tests.e2e.client import detail, ok, sign_in, submitted_dossier
from tests.e2e.conftest import Product, run_mailing
from tests.support.slip_pdfs import pdf_text, require_poppler
from tests.support.smtp_sink import SmtpSink
from tests.support.waiting import eventually, eventually_sync

pytestmark = pytest.mark.e2e
CALENDAR = load_calendar()


def new_phone() -> str:
    return "+8491" + str(uuid4().int)[:7]  # one per citizen: the SMS sink is shared by the whole run


class Run:
    def __init__(self, product: Product, sink: SmtpSink) -> None:
        self.mode, self.url, self.sink = product.mode, product.base_url, sink
        self.amqp = (product.amqp_url, product.namespace) if product.amqp_url and product.namespace else None


@pytest.fixture(scope="module", params=["embedded", pytest.param("services", marks=pytest.mark.rabbitmq)])
def run(request: pytest.FixtureRequest) -> Iterator[Run]:
    require_poppler()
    for product, sink in run_mailing(request.param, "reschedule"):
        yield Run(product, sink)


@pytest.fixture(scope="module")
def base_url(run: Run) -> str:
    """The run's address, for conftest.py's `staff`."""
    return run.url


@pytest.fixture()
def citizen(run: Run) -> Iterator[httpx.Client]:
    """A citizen whose account has a phone (the token's phone_number claim): the apology goes by SMS too."""
    with sign_in(run.url, phone_number=new_phone()) as client:
        yield client


def later_working_day(after: date, days: int) -> date:
    return CALENDAR.add_working_days(after, days)


def next_weekend_day(after: date) -> date:
    day = after + timedelta(days=1)
    while CALENDAR.is_working_day(day):
        day += timedelta(days=1)
    return day


def accepted(citizen: httpx.Client, staff: httpx.Client) -> tuple[str, date]:
    dossier_id = submitted_dossier(citizen)
    ok(staff.post(f"/v1/staff/dossiers/{dossier_id}/accept"))
    return dossier_id, date.fromisoformat(detail(citizen, dossier_id)["due_date"])


def claims_of(client: httpx.Client) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(client.headers["Authorization"].removeprefix("Bearer "),
                                        options={"verify_signature": False})
    return claims


def apology_shown(run: Run, citizen: httpx.Client, dossier_id: str, due: date, new: date, reason: str) -> None:
    """The detail, the apology slip, the apology mail and SMS, as the citizen gets them."""
    shown = detail(citizen, dossier_id)
    assert (shown["due_date"], shown["original_due_date"], shown["status"]) == (new.isoformat(), due.isoformat(),
                                                                                 "received")
    assert shown["rescheduled_late"] is False and shown["deadline_state"] in {"on_track", "due_soon"}
    last = shown["history"][-1]
    assert (last["from"], last["to"], last["reason"], last["rescheduled_to"]) == (
        "received", "received", reason, new.isoformat())
    eventually_sync(lambda: any(slip["kind"] == "apology" for slip in detail(citizen, dossier_id)["slips"]),
                    timeout=30, what="the apology slip listed")
    pdf = ok_bytes(citizen.get(f"/v1/dossiers/{dossier_id}/slips/apology"))
    text = pdf_text(pdf)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text and reason in text
    assert new.strftime("%d/%m/%Y") in text and due.strftime("%d/%m/%Y") in text
    address = str(claims_of(citizen)["email"])

    def apology_mail() -> list[Any]:
        return [mail for mail in run.sink.to(address) if f"/ho-so/{dossier_id}/phieu/apology" in mail.body("plain")]

    eventually_sync(lambda: len(apology_mail()) == 1, timeout=30, what="the apology mail with its slip's link")
    [mail] = apology_mail()
    assert reason in mail.body("plain") and new.strftime("%d/%m/%Y") in mail.body("plain")
    assert str(mail.message["Subject"]).startswith("Xin lỗi và hẹn lại ngày trả")
    apology_sms_sent(citizen, dossier_id, new)


def apology_sms_sent(citizen: httpx.Client, dossier_id: str, new: date) -> None:
    """Exactly one apology SMS in the development sink, to the account's phone, short and unaccented."""
    phone = claims_of(citizen)["phone_number"]

    def apologies() -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = ok(citizen.get("/v1/dev/sms"))["items"]
        assert all(sms["recipient"] == phone for sms in items), "a citizen sees only their own SMS"
        return [sms for sms in items if sms["delivery_id"].startswith(dossier_id)
                and sms["delivery_id"].endswith(".rescheduled.sms")]

    eventually_sync(lambda: len(apologies()) == 1, timeout=30, what="the apology SMS in the development sink")
    [sms] = apologies()
    assert sms["text"].startswith("So Y te: Xin loi") and new.strftime("%d/%m/%Y") in sms["text"], sms["text"]
    assert sms["text"].isascii() and len(sms["text"]) <= 160

    def deliveries() -> set[tuple[str, str, str]]:
        return {(shown["template"], shown["channel"], shown["state"])
                for shown in detail(citizen, dossier_id)["notifications"]}

    eventually_sync(lambda: ("rescheduled", "sms", "sent") in deliveries(), timeout=30,
                    what="the apology SMS's delivery in the detail")


def office_today() -> date:
    """Today where the office is (the product counts working days there): from 17:00 UTC on, a day ahead of UTC's."""
    return local_day(datetime.now(UTC), local_zone())


def ok_bytes(response: httpx.Response) -> bytes:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    return response.content


def test_reschedule_over_http_allowed_and_refused(run: Run, citizen: httpx.Client, staff: httpx.Client) -> None:
    waiting = submitted_dossier(citizen)
    refused = staff.post(f"/v1/staff/dossiers/{waiting}/reschedule",
                         json={"new_due_date": later_working_day(office_today(), 30).isoformat(), "reason": "Chậm"})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "reschedule_not_open"
    assert "hẹn lại" in refused.json()["error"]["message"]

    dossier_id, due = accepted(citizen, staff)
    url = f"/v1/staff/dossiers/{dossier_id}/reschedule"
    for body, code in [({"new_due_date": due.isoformat(), "reason": "Chậm"}, "reschedule_not_later"),
                       ({"new_due_date": next_weekend_day(due).isoformat(), "reason": "Chậm"},
                        "reschedule_not_working_day")]:
        answer = staff.post(url, json=body)
        assert answer.status_code == 422 and answer.json()["error"]["code"] == code, answer.text
    assert staff.post(url, json={"new_due_date": "2026-02-30", "reason": "Chậm"}).status_code == 422
    assert staff.post(url, json={"new_due_date": later_working_day(due, 3).isoformat()}).status_code == 422
    assert citizen.post(url, json={"new_due_date": later_working_day(due, 3).isoformat(),
                                   "reason": "Chậm"}).status_code == 403
    unchanged = detail(citizen, dossier_id)  # every refusal changed nothing
    assert (unchanged["due_date"], unchanged["original_due_date"]) == (due.isoformat(), None)
    assert [entry["to"] for entry in unchanged["history"]][-1] == "received"

    new = later_working_day(due, 3)
    reason = "Cần thêm thời gian lấy ý kiến thẩm định của Hội đồng chuyên môn."
    answer = ok(staff.post(url, json={"new_due_date": new.isoformat(), "reason": reason}))
    assert answer["status"] == "received"
    apology_shown(run, citizen, dossier_id, due, new, reason)


def test_the_staff_deadline_lists_and_counts(run: Run, citizen: httpx.Client, staff: httpx.Client) -> None:
    dossier_id, due = accepted(citizen, staff)
    left = CALENDAR.working_days_between(office_today(), due)
    item = next(entry for entry in ok(staff.get("/v1/staff/dossiers", params={"status": "received",
                                                                              "page_size": 100}))["items"]
                if entry["id"] == dossier_id)
    assert (item["working_days_left"], item["deadline_state"]) == (left, "on_track" if left > 2 else "due_soon")
    counts = ok(staff.get("/v1/staff/status-counts"))
    for name in ("due_soon", "overdue"):
        listed = ok(staff.get("/v1/staff/dossiers", params={name: "true", "page_size": 100}))
        assert counts[name] == listed["total"]
        dues = [entry["due_date"] for entry in listed["items"]]
        assert dues == sorted(dues)  # what falls due first comes first
    # The citizen's counts are by status only: every dossier counted once.
    assert {"due_soon", "overdue"}.isdisjoint(ok(citizen.get("/v1/me/status-counts")))


def staff_command(action: str, dossier_id: str, data: dict[str, Any]) -> tuple[str, aio_pika.Message]:
    command_id = str(uuid4())
    body = {"id": command_id, "type": f"staff.{action}", "producer": "staff-tool", "dossier_id": dossier_id,
            "occurred_at": datetime.now(UTC).isoformat(), "actor": {"kind": "staff", "id": "clerk-11"},
            "data": data}
    return command_id, aio_pika.Message(json.dumps(body).encode(), content_type="application/json",
                                        message_id=command_id, delivery_mode=aio_pika.DeliveryMode.PERSISTENT)


async def commanded(amqp: tuple[str, str], commands: list[tuple[str, str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Send each (action, dossier, data) on the commands exchange; the outcome event of each, in order."""
    amqp_url, namespace = amqp
    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        exchange = await channel.get_exchange(f"{namespace}.commands")
        outcomes_queue = await channel.declare_queue(exclusive=True)
        await outcomes_queue.bind(await channel.get_exchange(f"{namespace}.events"), routing_key="command.#")
        outcomes: dict[str, dict[str, Any]] = {}

        async def collect(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                envelope = json.loads(message.body)
                outcomes[envelope["data"]["command_id"]] = envelope

        await outcomes_queue.consume(collect)
        sent = []
        for action, dossier_id, data in commands:
            command_id, message = staff_command(action, dossier_id, data)
            await exchange.publish(message, routing_key=f"staff.{action}")
            sent.append(command_id)
        await eventually(lambda: set(sent) <= set(outcomes), timeout=20, what="every outcome")
        return [outcomes[command_id] for command_id in sent]
    finally:
        await connection.close()


def test_reschedule_as_an_amqp_command(run: Run, citizen: httpx.Client, staff: httpx.Client) -> None:
    if run.amqp is None:
        pytest.skip("the commands exchange is RabbitMQ's: only the services run has it")
    dossier_id, due = accepted(citizen, staff)
    new = later_working_day(due, 5)
    reason = "Chờ kết quả xác minh của cơ quan có liên quan."
    earlier, no_reason, done = asyncio.run(commanded(run.amqp, [
        ("reschedule", dossier_id, {"new_due_date": due.isoformat(), "reason": reason}),
        ("reschedule", dossier_id, {"new_due_date": new.isoformat()}),
        ("reschedule", dossier_id, {"new_due_date": new.isoformat(), "reason": reason}),
    ]))
    assert (earlier["type"], earlier["data"]["code"]) == ("command.rejected", "reschedule_not_later")
    assert no_reason["type"] == "command.rejected" and no_reason["data"]["reason"]
    assert (done["type"], done["data"]["status"]) == ("command.completed", "received")
    eventually_sync(lambda: detail(citizen, dossier_id)["due_date"] == new.isoformat(), timeout=15,
                    what="the read model shows the new appointment")
    apology_shown(run, citizen, dossier_id, due, new, reason)

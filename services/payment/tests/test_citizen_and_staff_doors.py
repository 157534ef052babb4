"""Taking requests over, the citizen's payments and the staff's confirmations, through the real bootstrap."""

from services.payment.tests.harness import ITEMS, OWNER, STAFF, Harness
from shared.messages import Actor
from shared.messaging.port import COMMANDS
from shared.payments import FeeLine

CONFIRMATION = {"method": "at_office", "receipt_number": "0001234"}


async def test_a_request_is_held_once_at_processings_version(payment: Harness) -> None:
    items = [FeeLine(kind="phi", name="Phí thẩm định", amount_vnd=300_000),
             FeeLine(kind="le_phi", name="Lệ phí cấp phép", amount_vnd=50_000)]
    dossier_id = await payment.request(version=5, items=items)
    record = await payment.record(dossier_id)
    assert {key: record[key] for key in ("status", "version", "requested_version", "amount_vnd", "owner_id")} == {
        "status": "payment_requested", "version": 5, "requested_version": 5, "amount_vnd": 350_000,
        "owner_id": OWNER}
    assert record["items"] == [item.model_dump() for item in items]
    for stale in (5, 4):  # redelivered or older: nothing changes
        await payment.request(dossier_id, version=stale)
    await payment.request(version=2)  # handled after the two above: the queue keeps its order
    assert await payment.record(dossier_id) == record


async def test_an_additional_fee_is_a_new_request_with_its_reason_and_the_first_payment_kept(
        payment: Harness) -> None:
    dossier_id = await payment.request(version=5)
    first = await payment.command("confirm-payment", dossier_id, CONFIRMATION)
    assert (await payment.outcome_of(first)).data["version"] == 6
    additional = [FeeLine(kind="phi", name="Phí thẩm định thực tế tại cơ sở", amount_vnd=500_000)]
    await payment.request(dossier_id, version=8, items=additional, reason="Thẩm định thực tế lần hai")
    record = await payment.record(dossier_id)
    assert (record["status"], record["requested_version"], record["amount_vnd"], record["reason"]) == (
        "payment_requested", 8, 500_000, "Thẩm định thực tế lần hai")
    second = await payment.command("confirm-payment", dossier_id, {"method": "at_office", "receipt_number": "0001299"})
    assert (await payment.outcome_of(second)).data["version"] == 9
    await payment.all_published()
    assert [(paid.data["receipt_number"], paid.data["items"]) for paid in payment.published("dossier.paid", dossier_id)
            ] == [("0001234", [item.model_dump() for item in ITEMS]),
                  ("0001299", [item.model_dump() for item in additional])]
    assert [stored["receipt_number"] for stored in (await payment.record(dossier_id))["payments"]] == [
        "0001234", "0001299"]


async def test_paying_online_answers_the_checkout_and_the_same_one_while_it_is_open(payment: Harness) -> None:
    dossier_id = await payment.request(version=5)
    first = await payment.pay(dossier_id, "online")
    body = first.json()
    assert first.status_code == 200, first.text
    reference = body["checkout_url"].rsplit("/", 1)[-1]
    assert body == {"id": dossier_id, "status": "payment_requested", "version": 6, "payment_id": body["payment_id"],
                    "method": "online", "state": "pending", "amount_vnd": 150_000, "provider": "sandbox",
                    "checkout_url": f"/v1/payments/sandbox/checkout/{reference}"}
    assert len(reference) == 20 and reference.isalnum()
    reserved = await payment.store.memory.db["payment_references"].find_one({"_id": reference})
    assert reserved is not None and reserved["dossier_id"] == dossier_id
    again = await payment.pay(dossier_id, "online")
    assert again.json() == body  # the same checkout, no new version
    busy = await payment.pay(dossier_id, "at_office")
    assert (busy.status_code, busy.json()["error"]["code"]) == (409, "payment_in_progress")
    await payment.all_published()
    [started] = payment.published("dossier.payment_started", dossier_id)
    assert (started.version, started.actor, started.data["method"], started.data["provider"]) == (
        6, Actor(kind="citizen", id=OWNER), "online", "sandbox")
    # Once the checkout has expired, paying online opens a new one.
    payment.clock.advance(minutes=16)
    renewed = await payment.pay(dossier_id, "online")
    assert renewed.json()["version"] == 7 and renewed.json()["checkout_url"] != body["checkout_url"]


async def test_paying_at_the_office_or_by_post_waits_for_staff(payment: Harness) -> None:
    dossier_id = await payment.request(version=5)
    at_office = await payment.pay(dossier_id, "at_office")
    assert (at_office.json()["state"], at_office.json()["checkout_url"], at_office.json()["version"]) == (
        "pending", None, 6)
    assert (await payment.pay(dossier_id, "at_office")).json()["version"] == 6  # the same choice again
    postal = await payment.pay(dossier_id, "postal")
    assert postal.json()["version"] == 7
    confirmed = await payment.client.post(f"/dossiers/{dossier_id}/actions/confirm-payment",
                                          json={"actor_id": STAFF.id, "actor_name": "Nguyễn Thị Lan",
                                                "method": "postal", "receipt_number": " 42 "})
    assert confirmed.json() == {"id": dossier_id, "status": "paid", "version": 8}, confirmed.text
    record = await payment.record(dossier_id)
    assert [(p["method"], p["state"], p["receipt_number"]) for p in record["payments"]] == [
        ("at_office", "superseded", None), ("postal", "paid", "42")]
    await payment.all_published()
    [paid] = payment.published("dossier.paid", dossier_id)
    assert (paid.version, paid.data["method"], paid.data["receipt_number"]) == (8, "postal", "42")
    # The officer who confirmed it is named, for the history.
    assert paid.actor == STAFF.model_copy(update={"name": "Nguyễn Thị Lan"})
    assert payment.published("payment.completed", dossier_id)[0].data["provider"] is None
    after = await payment.pay(dossier_id, "online")
    assert (after.status_code, after.json()["error"]["code"]) == (409, "payment_not_requested")


async def test_a_dossier_that_is_not_the_citizens_or_not_known_is_not_found(payment: Harness) -> None:
    dossier_id = await payment.request()
    for answer in (await payment.pay(dossier_id, owner="someone-else"), await payment.pay("d-nobody")):
        assert (answer.status_code, answer.json()["error"]["code"]) == (404, "dossier_not_found")
    invalid = await payment.pay(dossier_id, "by-pigeon")
    assert (invalid.status_code, invalid.json()["error"]["fields"].keys()) == (422, {"method"})
    assert (await payment.record(dossier_id))["payments"] == []


async def test_staff_confirmation_refusals_through_http(payment: Harness) -> None:
    dossier_id = await payment.request()
    before = await payment.record(dossier_id)
    for body, code in [({"method": "online", "receipt_number": "1"}, "validation_error"),
                       ({"method": "at_office"}, "validation_error"),
                       ({"method": "at_office", "receipt_number": "   "}, "validation_error")]:
        answer = await payment.client.post(f"/dossiers/{dossier_id}/actions/confirm-payment",
                                           json={"actor_id": STAFF.id, **body})
        assert (answer.status_code, answer.json()["error"]["code"]) == (422, code), body
    unknown = await payment.client.post(f"/dossiers/{dossier_id}/actions/accept", json={"actor_id": STAFF.id})
    assert unknown.json()["error"]["code"] == "unknown_action"
    assert await payment.record(dossier_id) == before


async def test_a_confirmation_over_the_bus_is_applied_and_answered_once(payment: Harness) -> None:
    dossier_id = await payment.request(version=5)
    command = await payment.command("confirm-payment", dossier_id, CONFIRMATION)
    await payment.bus.publish(command, exchange=COMMANDS)  # delivered twice
    outcome = await payment.outcome_of(command)
    assert (outcome.type, outcome.data["status"], outcome.data["version"], outcome.correlation_id) == (
        "command.completed", "paid", 6, command.correlation_id)
    again = await payment.command("confirm-payment", dossier_id, CONFIRMATION)
    refused = await payment.outcome_of(again)  # handled after both copies: the queue keeps its order
    assert (refused.type, refused.data["code"]) == ("command.rejected", "transition_not_allowed")
    await payment.all_published()
    assert [event.type for event in payment.events if event.causation_id == command.id] == [
        "dossier.paid", "payment.completed", "command.completed"]
    record = await payment.record(dossier_id)
    assert (record["version"], record["applied_commands"]) == (6, [command.id])


async def test_a_confirmation_that_cannot_be_applied_is_rejected_with_a_reason(payment: Harness) -> None:
    dossier_id = await payment.request()
    cases = [(payment.command("confirm-payment", dossier_id, {"method": "at_office"}), "validation_error"),
             (payment.command("confirm-payment", dossier_id, CONFIRMATION, actor=Actor(kind="citizen", id=OWNER)),
              "not_staff"),
             (payment.command("confirm-payment", None, CONFIRMATION), "missing_dossier_id"),
             (payment.command("confirm-payment", "d-nobody", CONFIRMATION), "dossier_not_found")]
    for sending, code in cases:
        outcome = await payment.outcome_of(await sending)
        assert (outcome.type, outcome.data["code"]) == ("command.rejected", code)
    assert (await payment.record(dossier_id))["status"] == "payment_requested"


async def test_the_version_door_answers_what_payment_holds(payment: Harness) -> None:
    dossier_id = await payment.request(version=5)
    await payment.pay(dossier_id, "at_office")
    reached = await payment.client.get(f"/dossiers/{dossier_id}/version", params={"at_least": 6, "timeout": 0})
    assert reached.json() == {"id": dossier_id, "version": 6, "reached": True}

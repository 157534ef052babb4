"""Provider callbacks through the real bootstrap: a genuine report settles the payment once; a forged,
altered, unknown, malformed or replayed one changes nothing, is logged and publishes its refusal."""

import asyncio
import hashlib
from datetime import timedelta
from typing import Any

import pytest
from structlog.testing import capture_logs

from services.payment.adapters.providers.sandbox import SandboxProvider
from services.payment.adapters.providers.signing import sign
from services.payment.tests.harness import OWNER, SANDBOX_SECRET, Harness

DUPLICATES = 10


async def settled_state(payment: Harness, dossier_id: str) -> dict[str, Any]:
    """The stored request once every event it stored has been published."""
    await payment.all_published()
    return await payment.record(dossier_id)


async def test_a_genuine_report_settles_the_payment_and_hands_the_dossier_back_in_one_write(
        payment: Harness) -> None:
    dossier_id = await payment.request(version=5)
    reference = await payment.paying_online(dossier_id)  # v6: dossier.payment_started
    payment.clock.advance(minutes=3)
    answer = await payment.callback(payment.report(reference))
    assert (answer.status_code, answer.json()) == (200, {"result": "accepted"})

    record = await settled_state(payment, dossier_id)
    assert (record["status"], record["version"]) == ("paid", 7)
    [paid_payment] = record["payments"]
    assert paid_payment["state"] == "paid" and paid_payment["reference"] == reference
    assert paid_payment["receipt_number"] == f"BL-260303-{reference}"
    [paid] = payment.published("dossier.paid", dossier_id)
    [completed] = payment.published("payment.completed", dossier_id)
    assert (paid.version, paid.actor.kind, paid.actor.id, paid.producer) == (7, "citizen", OWNER, "payment")
    assert paid.data | {"paid_at": None} == {
        "from_status": "payment_requested", "to_status": "paid", "reason": None, "payment_id": paid_payment["id"],
        "method": "online", "amount_vnd": 150_000, "receipt_number": paid_payment["receipt_number"], "paid_at": None,
        "items": record["items"]}
    assert record["items"] == [{"kind": "phi", "name": "Phí thẩm định cấp lại giấy phép hành nghề",
                                "amount_vnd": 150_000}]
    assert completed.version is None and completed.data["dossier_id"] == dossier_id
    assert (completed.data["provider"], completed.data["provider_transaction_id"]) == ("sandbox", "SBX-1")
    assert completed.data["receipt_number"] == paid.data["receipt_number"]


@pytest.mark.parametrize("tamper", ["signature", "amount", "outcome", "reference", "sent_at", "extra", "secret"])
async def test_a_forged_or_altered_report_is_refused_and_changes_nothing(payment: Harness, tamper: str) -> None:
    dossier_id = await payment.request()
    reference = await payment.paying_online(dossier_id)
    before = await settled_state(payment, dossier_id)
    params = payment.report(reference, outcome="failed")
    match tamper:
        case "signature":
            params["signature"] = "0" * 64
        case "amount":
            params["amount"] = "1000"  # pay a thousand dong for a fee of 150,000
        case "outcome":
            params["outcome"] = "paid"  # a failed payment made to look paid
        case "reference":
            params["reference"] = "0" * 20
        case "sent_at":
            params["sent_at"] = str(int(payment.clock().timestamp()) + 5)
        case "extra":
            params["note"] = "x"
        case "secret":
            params = SandboxProvider(secret="not-" + SANDBOX_SECRET).report(
                reference, 150_000, "paid", "SBX-1", payment.clock())
    with capture_logs() as logs:
        answer = await payment.callback(params)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "callback_bad_signature"
    assert await settled_state(payment, dossier_id) == before
    [refused] = payment.published("payment.callback_refused")
    assert refused.data == {"provider": "sandbox", "reason": "bad_signature", "reference": None}
    assert any(entry["event"] == "payment_callback_refused" for entry in logs)
    logged = repr(logs)
    assert params["signature"] not in logged and SANDBOX_SECRET not in logged  # no secrets, no parameter sets


@pytest.mark.parametrize(("case", "reason"), [("amount", "amount_mismatch"), ("reference", "unknown_reference"),
                                              ("old", "replayed"), ("missing", "malformed")])
async def test_a_genuine_but_wrong_report_is_refused_and_changes_nothing(
        payment: Harness, case: str, reason: str) -> None:
    dossier_id = await payment.request()
    reference = await payment.paying_online(dossier_id)
    before = await settled_state(payment, dossier_id)
    if case == "amount":  # signed by the provider, yet not what this payment asks for
        params = payment.report(reference, amount_vnd=1_000)
    elif case == "reference":
        params = payment.report("FFFFFFFFFFFFFFFFFFFF")
    elif case == "old":  # a genuine report sent long ago, replayed now
        params = payment.report(reference, sent_at=payment.clock() - timedelta(hours=1))
    else:  # signed, but without the provider's transaction id
        unsigned = {name: value for name, value in payment.report(reference).items()
                    if name not in ("transaction_id", "signature")}
        params = {**unsigned, "signature": sign(unsigned, SANDBOX_SECRET, hashlib.sha256)}
    answer = await payment.callback(params)
    assert (answer.status_code, answer.json()["error"]["code"]) == (400, f"callback_{reason}")
    assert await settled_state(payment, dossier_id) == before
    [refused] = payment.published("payment.callback_refused")
    assert refused.data["reason"] == reason
    assert payment.published("dossier.paid") == [] and payment.published("dossier.payment_failed") == []


async def test_a_report_contradicting_a_settled_payment_is_a_replay(payment: Harness) -> None:
    dossier_id = await payment.request()
    cancelled = await payment.paying_online(dossier_id)
    assert (await payment.callback(payment.report(cancelled, outcome="cancelled"))).status_code == 200
    paid = await payment.paying_online(dossier_id)  # the citizen pays again: a new reference
    assert paid != cancelled
    assert (await payment.callback(payment.report(paid))).json() == {"result": "accepted"}
    settled = await settled_state(payment, dossier_id)
    assert (settled["status"], settled["version"]) == ("paid", 9)  # 6 started, 7 failed, 8 started, 9 paid

    replays = [payment.report(paid, outcome="cancelled"),      # the paid payment said to be cancelled
               payment.report(cancelled, outcome="paid"),      # the cancelled one said to be paid after all
               payment.report(paid, sent_at=payment.clock() - timedelta(minutes=30))]  # an old genuine copy
    for params in replays:
        answer = await payment.callback(params)
        assert (answer.status_code, answer.json()["error"]["code"]) == (400, "callback_replayed")
    # A genuine copy of the earlier cancellation changes nothing either: it is a duplicate.
    assert (await payment.callback(payment.report(cancelled, outcome="cancelled"))).json() == {"result": "duplicate"}
    assert await settled_state(payment, dossier_id) == settled
    assert [event.data["reason"] for event in payment.published("payment.callback_refused")] == ["replayed"] * 3
    assert len(payment.published("dossier.paid")) == len(payment.published("payment.completed")) == 1


async def test_ten_duplicate_genuine_reports_one_after_the_other_make_one_payment(payment: Harness) -> None:
    dossier_id = await payment.request()
    reference = await payment.paying_online(dossier_id)
    params = payment.report(reference)
    answers = [(await payment.callback(params)).json() for _ in range(DUPLICATES)]
    assert answers == [{"result": "accepted"}] + [{"result": "duplicate"}] * (DUPLICATES - 1)
    await assert_paid_once(payment, dossier_id)


async def test_ten_duplicate_genuine_reports_at_once_make_one_payment(payment: Harness) -> None:
    dossier_id = await payment.request()
    reference = await payment.paying_online(dossier_id)
    params = payment.report(reference)
    with capture_logs() as logs:
        answers = await asyncio.gather(*(payment.callback(params) for _ in range(DUPLICATES)))
    results = sorted(answer.json()["result"] for answer in answers)
    assert results == ["accepted"] + ["duplicate"] * (DUPLICATES - 1)
    # The race was real: some decisions were taken on a revision another had already replaced.
    assert any(entry["event"] == "payment_request_changed_meanwhile" for entry in logs)
    await assert_paid_once(payment, dossier_id)


async def assert_paid_once(payment: Harness, dossier_id: str) -> None:
    record = await settled_state(payment, dossier_id)
    assert (record["status"], record["version"]) == ("paid", 7)
    assert [entry["state"] for entry in record["payments"]] == ["paid"]
    assert len(payment.published("dossier.paid", dossier_id)) == 1
    assert len(payment.published("payment.completed", dossier_id)) == 1
    assert payment.published("payment.callback_refused") == []


async def test_a_cancelled_payment_can_be_paid_again(payment: Harness) -> None:
    dossier_id = await payment.request()
    first = await payment.paying_online(dossier_id)
    answer = await payment.callback(payment.report(first, outcome="cancelled"))
    assert answer.json() == {"result": "accepted"}
    await payment.all_published()
    [failed] = payment.published("dossier.payment_failed", dossier_id)
    assert (failed.version, failed.data["provider_code"], failed.data["method"]) == (7, "cancelled", "online")
    again = await payment.pay(dossier_id, "online")
    assert again.json()["version"] == 8 and again.json()["state"] == "pending"
    second = again.json()["checkout_url"].rsplit("/", 1)[-1]
    assert second != first
    assert (await payment.callback(payment.report(second))).json() == {"result": "accepted"}
    record = await settled_state(payment, dossier_id)
    assert (record["status"], record["version"]) == ("paid", 9)
    assert [entry["state"] for entry in record["payments"]] == ["cancelled", "paid"]


async def test_unreadable_parameters_and_unknown_providers(payment: Harness) -> None:
    dossier_id = await payment.request()
    reference = await payment.paying_online(dossier_id)
    before = await settled_state(payment, dossier_id)
    params = payment.report(reference)
    query = "&".join(f"{name}={value}" for name, value in params.items())
    twice = await payment.client.post(f"/callbacks/sandbox?{query}&amount=1", data=params)
    assert twice.json()["error"]["code"] == "callback_malformed"
    not_json = await payment.client.post("/callbacks/sandbox", content=b"[1, 2]",
                                          headers={"content-type": "application/json"})
    assert not_json.json()["error"]["code"] == "callback_malformed"
    unknown = await payment.callback(params, provider="vnpay")  # not the provider configured here
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "unknown_provider")
    assert await settled_state(payment, dossier_id) == before
    # A report as JSON is read as well as a form.
    assert (await payment.client.post("/callbacks/sandbox", json=params)).json() == {"result": "accepted"}

"""Staff actions through the internal HTTP door, on the real bootstrap (in-process bus, in-memory store)."""

import asyncio
from datetime import date

from services.processing.tests.harness import OWNER, STAFF, Harness
from shared.procedures import load_catalog
from shared.working_calendar import load_calendar
from tests.support.waiting import eventually


async def test_accept_allocates_the_lookup_code_and_sets_the_due_date(processing: Harness) -> None:
    dossier_id = await processing.submit(version=3)
    answer = await processing.act(dossier_id, "accept")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"id": dossier_id, "status": "received", "version": 4}

    record = await processing.record(dossier_id)
    # Received Tuesday 3 March 2026; SYT-KCB-02 takes 10 working days, the day of receipt not counted.
    assert load_catalog().get("SYT-KCB-02").processing_days == 10
    assert record["due_date"] == "2026-03-17" == load_calendar().add_working_days(date(2026, 3, 3), 10).isoformat()
    assert record["lookup_code"] == "000.00.17.H00-260303-0001"
    await eventually(lambda: processing.published("dossier.received", dossier_id), timeout=5)
    [event] = processing.published("dossier.received", dossier_id)
    assert (event.version, event.actor, event.producer) == (4, STAFF, "processing")
    assert event.data["lookup_code"] == record["lookup_code"] and event.data["due_date"] == "2026-03-17"
    assert (event.data["owner_id"], event.data["processing_days"]) == (OWNER, 10)
    assert "owner_email" not in event.data  # notify asks intake for the account's address


async def test_concurrent_accepts_get_distinct_codes(processing: Harness) -> None:
    dossier_ids = [await processing.submit() for _ in range(25)]
    answers = await asyncio.gather(*(processing.act(dossier_id, "accept") for dossier_id in dossier_ids))
    assert {answer.status_code for answer in answers} == {200}
    codes = [(await processing.record(dossier_id))["lookup_code"] for dossier_id in dossier_ids]
    assert sorted(codes) == [f"000.00.17.H00-260303-{seq:04d}" for seq in range(1, 26)]


async def test_the_receipt_day_is_the_day_in_vietnam(processing: Harness) -> None:
    processing.clock.advance(hours=15)  # 17:00 UTC on 3 March is already 4 March in Vietnam
    dossier_id = await processing.submit()
    assert (await processing.act(dossier_id, "accept")).status_code == 200
    assert (await processing.record(dossier_id))["lookup_code"] == "000.00.17.H00-260304-0001"


async def test_a_refused_transition_is_409_with_the_reason_and_changes_nothing(processing: Harness) -> None:
    dossier_id = await processing.submit()
    before = await processing.record(dossier_id)
    refused = await processing.act(dossier_id, "start-processing")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "transition_not_allowed"
    assert "submitted" in refused.json()["error"]["message"]
    assert await processing.record(dossier_id) == before


async def test_the_lifecycle_through_the_staff_door(processing: Harness) -> None:
    dossier_id = await processing.submit(version=2)
    for action, status in [("accept", "received"), ("start-processing", "processing")]:
        answer = await processing.act(dossier_id, action)
        assert answer.json()["status"] == status, answer.text
    issued = await processing.client.post(f"/dossiers/{dossier_id}/actions/issue-result",
                                          data={"actor_id": "clerk-7", "summary": "Cấp chứng chỉ"})
    assert issued.json() == {"id": dossier_id, "status": "result_ready", "version": 5}, issued.text
    returned = await processing.act(dossier_id, "mark-returned", method="postal")
    assert returned.json() == {"id": dossier_id, "status": "result_returned", "version": 6}
    expected = ["dossier.received", "dossier.processing_started", "dossier.result_issued",
                "dossier.result_returned"]
    await eventually(lambda: [e.type for e in processing.events if e.producer == "processing"] == expected,
                     timeout=5, what="every status change published in order")
    assert [e.version for e in processing.events if e.producer == "processing"] == [3, 4, 5, 6]


async def test_reject_and_supplement_need_a_reason(processing: Harness) -> None:
    dossier_id = await processing.submit()
    for action in ("reject", "request-supplement"):
        missing = await processing.act(dossier_id, action)
        assert missing.status_code == 422 and "reason" in missing.json()["error"]["fields"]
    rejected = await processing.act(dossier_id, "reject", reason="Không đúng thẩm quyền")
    assert rejected.json()["status"] == "rejected"
    await eventually(lambda: processing.published("dossier.rejected", dossier_id), timeout=5)
    assert processing.published("dossier.rejected", dossier_id)[0].data["reason"] == "Không đúng thẩm quyền"


async def test_an_unknown_action_or_dossier_is_404(processing: Harness) -> None:
    dossier_id = await processing.submit()
    unknown_action = await processing.act(dossier_id, "approve")
    assert (unknown_action.status_code, unknown_action.json()["error"]["code"]) == (404, "unknown_action")
    unknown_dossier = await processing.act("d-nobody", "accept")
    assert (unknown_dossier.status_code, unknown_dossier.json()["error"]["code"]) == (404, "dossier_not_found")


async def test_a_supplement_after_reception_stops_the_clock(processing: Harness) -> None:
    dossier_id = await processing.submit()
    await processing.act(dossier_id, "accept")
    processing.clock.advance(days=7)  # Tuesday 10 March: due Tuesday 17 March, 5 working days left
    answer = await processing.act(dossier_id, "request-supplement", reason="Bổ sung bản sao văn bằng")
    assert answer.json()["status"] == "supplement_requested"
    assert (await processing.record(dossier_id))["remaining_working_days"] == 5
    await eventually(lambda: processing.published("dossier.supplement_requested", dossier_id), timeout=5)
    event = processing.published("dossier.supplement_requested", dossier_id)[0]
    assert (event.data["remaining_working_days"], event.data["from_status"]) == (5, "received")


async def test_the_officer_acting_is_named_in_the_event(processing: Harness) -> None:
    dossier_id = await processing.submit(version=3)
    answer = await processing.act(dossier_id, "accept", actor_name="Nguyễn Thị Lan")
    assert answer.status_code == 200, answer.text
    await eventually(lambda: processing.published("dossier.received", dossier_id), timeout=5)
    [event] = processing.published("dossier.received", dossier_id)
    assert (event.actor.kind, event.actor.id, event.actor.name) == ("staff", STAFF.id, "Nguyễn Thị Lan")
    assert (await processing.act(dossier_id, "start-processing")).status_code == 200
    # The multipart door (issue-result) takes the name as a form field.
    issued = await processing.client.post(f"/dossiers/{dossier_id}/actions/issue-result", data={
        "actor_id": STAFF.id, "actor_name": "Trần Văn Minh", "summary": "Cấp chứng chỉ"})
    assert issued.status_code == 200, issued.text
    await eventually(lambda: processing.published("dossier.result_issued", dossier_id), timeout=5)
    [event] = processing.published("dossier.result_issued", dossier_id)
    assert event.actor.name == "Trần Văn Minh"


async def test_marking_returned_follows_the_citizens_choice_and_keeps_the_tracking_number(
        processing: Harness) -> None:
    dossier_id = await processing.submit(version=2)
    for action in ("accept", "start-processing"):
        assert (await processing.act(dossier_id, action)).status_code == 200
    assert (await processing.issue_result(dossier_id)).status_code == 200
    chosen = await processing.client.put(f"/dossiers/{dossier_id}/result-delivery", json={
        "owner_id": OWNER, "method": "postal", "postal_address": "12 Lê Lợi, Huế"})
    assert chosen.status_code == 200, chosen.text
    returned = await processing.act(dossier_id, "mark-returned", tracking_number="EV123456789VN")
    assert returned.json()["status"] == "result_returned", returned.text
    delivery = (await processing.record(dossier_id))["result"]["delivery"]
    assert delivery == {"method": "postal", "postal_address": "12 Lê Lợi, Huế", "tracking_number": "EV123456789VN"}
    await eventually(lambda: processing.published("dossier.result_returned", dossier_id), timeout=5)
    [event] = processing.published("dossier.result_returned", dossier_id)
    assert (event.data["method"], event.data["tracking_number"]) == ("postal", "EV123456789VN")


async def test_reschedule_through_the_staff_door(processing: Harness) -> None:
    dossier_id = await processing.submit(version=2)
    assert (await processing.act(dossier_id, "accept")).status_code == 200  # due 17 March 2026
    refused = await processing.act(dossier_id, "reschedule", new_due_date="2026-03-21", reason="Chờ xác minh")
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "reschedule_not_working_day"
    earlier = await processing.act(dossier_id, "reschedule", new_due_date="2026-03-17", reason="Chờ xác minh")
    assert earlier.status_code == 422 and earlier.json()["error"]["code"] == "reschedule_not_later"
    no_reason = await processing.act(dossier_id, "reschedule", new_due_date="2026-03-20")
    assert no_reason.status_code == 422
    answer = await processing.act(dossier_id, "reschedule", new_due_date="2026-03-20", reason="Chờ xác minh")
    assert answer.json() == {"id": dossier_id, "status": "received", "version": 4}, answer.text
    record = await processing.record(dossier_id)
    assert (record["due_date"], record["original_due_date"], record["rescheduled_late"]) == (
        "2026-03-20", "2026-03-17", False)
    await eventually(lambda: processing.published("dossier.rescheduled", dossier_id), timeout=5)
    [event] = processing.published("dossier.rescheduled", dossier_id)
    assert (event.version, event.producer, event.data["reason"], event.data["new_due_date"]) == (
        4, "processing", "Chờ xác minh", "2026-03-20")


async def test_reschedule_is_refused_once_the_result_is_ready(processing: Harness) -> None:
    dossier_id = await processing.submit(version=2)
    for action in ("accept", "start-processing"):
        assert (await processing.act(dossier_id, action)).status_code == 200
    assert (await processing.issue_result(dossier_id)).status_code == 200
    before = await processing.record(dossier_id)
    refused = await processing.act(dossier_id, "reschedule", new_due_date="2026-03-20", reason="Chờ xác minh")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "reschedule_not_open"
    assert await processing.record(dossier_id) == before

"""Intake's use cases through its internal API: what each answers, stores and publishes, and what it refuses."""

import pytest

from services.intake.tests.harness import (
    OWNER,
    READY_VERSION,
    REQUIRED,
    SENT_VERSION,
    Harness,
    content,
    pdf,
    start_intake_service,
    stop_intake_service,
)
from tests.support.waiting import eventually


async def test_create_stores_a_draft_at_version_one_and_publishes_it(intake: Harness) -> None:
    answer = await intake.client.post("/dossiers", json={
        "owner_id": OWNER, "owner_email": "an@example.vn", "content": content(form={})})
    assert answer.status_code == 201
    dossier_id = answer.json()["id"]
    assert answer.json() == {"id": dossier_id, "status": "draft", "version": 1}
    record = await intake.record(dossier_id)
    assert record is not None
    assert (record["status"], record["version"], record["owner_id"], record["owner_email"]) == (
        "draft", 1, OWNER, "an@example.vn")
    await eventually(lambda: intake.published("dossier.draft_created", dossier_id), timeout=5)
    [event] = intake.published(dossier_id=dossier_id)
    assert (event.version, event.actor.kind, event.actor.id) == (1, "citizen", OWNER)
    assert (event.data["owner_id"], event.data["to_status"]) == (OWNER, "draft")
    # The procedure and the title only: the applicant and the form are asked of intake (GET …/content).
    assert event.data["content"] == {"procedure_code": "SYT-KCB-01", "title": content()["title"]}


async def test_the_content_route_answers_the_applicant_and_form_the_events_leave_out(intake: Harness) -> None:
    created = await intake.client.post("/dossiers", json={"owner_id": OWNER, "content": content()})
    dossier_id = created.json()["id"]
    answer = await intake.client.get(f"/dossiers/{dossier_id}/content")
    assert answer.status_code == 200
    assert answer.json() == {"dossier_id": dossier_id, "version": 1, "content": content()}
    deleted = await intake.client.delete(f"/dossiers/{dossier_id}", params={"owner_id": OWNER})
    assert deleted.status_code == 200
    assert (await intake.client.get(f"/dossiers/{dossier_id}/content")).status_code == 404
    assert (await intake.client.get("/dossiers/no-such-dossier/content")).status_code == 404


async def test_the_contacts_route_answers_the_accounts_address_and_phone_the_events_leave_out(
    intake: Harness,
) -> None:
    created = await intake.client.post("/dossiers", json={
        "owner_id": OWNER, "owner_email": "an@example.vn", "owner_phone": "+84987654321", "content": content()})
    dossier_id = created.json()["id"]
    answer = await intake.client.post("/dossiers/contacts", json={"dossier_ids": [dossier_id]})
    assert answer.status_code == 200
    # The account's, from the token: never the form's (content()'s applicant has a phone and an email of its own).
    assert answer.json() == {"contacts": {dossier_id: {"owner_email": "an@example.vn", "owner_phone": "+84987654321"}}}
    await eventually(lambda: intake.published("dossier.draft_created", dossier_id), timeout=5)
    [event] = intake.published(dossier_id=dossier_id)
    assert "an@example.vn" not in event.model_dump_json() and "+84987654321" not in event.model_dump_json()
    without = (await intake.client.post("/dossiers", json={"owner_id": OWNER, "content": content()})).json()["id"]
    assert (await intake.client.delete(f"/dossiers/{dossier_id}", params={"owner_id": OWNER})).status_code == 200
    # Many in one question; the deleted draft and an unknown id are left out of the answer.
    asked = [without, dossier_id, "no-such-dossier"]
    answer = await intake.client.post("/dossiers/contacts", json={"dossier_ids": asked})
    assert answer.json() == {"contacts": {without: {"owner_email": None, "owner_phone": None}}}


@pytest.mark.parametrize("body", [
    {}, {"dossier_ids": []}, {"dossier_ids": "d1"}, {"dossier_ids": [""]}, {"dossier_ids": ["x" * 65]},
    {"dossier_ids": [f"d{n}" for n in range(101)]},
])
async def test_the_contacts_route_refuses_a_question_it_cannot_answer(intake: Harness, body: object) -> None:
    answer = await intake.client.post("/dossiers/contacts", json=body)
    assert answer.status_code == 422


async def test_create_refuses_content_foreign_to_the_procedures_form(intake: Harness) -> None:
    answer = await intake.client.post("/dossiers", json={
        "owner_id": OWNER, "content": content(form={"khong_co": "x"})})
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "validation_error"
    assert await intake.store.memory.db["dossiers"].count_documents({}) == 0


async def test_the_events_are_stored_in_the_same_write_as_the_change() -> None:
    # The relay stopped: what each command stored stays in the dossier's outbox, in order, with its version.
    intake = await start_intake_service(start=False)
    try:
        dossier_id = await intake.create()
        assert (await intake.edit(dossier_id, {"title": "Đã sửa"}, 1)).status_code == 200
        for code in REQUIRED:
            await intake.attached(dossier_id, code, pdf(code))
        assert (await intake.submit(dossier_id)).status_code == 200
        attached_versions = range(3, 3 + len(REQUIRED))
        assert await intake.outbox(dossier_id) == [
            ("dossier.draft_created", 1), ("dossier.draft_updated", 2),
            *[("dossier.document_attached", version) for version in attached_versions],
            ("dossier.submitted", 3 + len(REQUIRED))]
        assert intake.published() == []
    finally:
        await stop_intake_service(intake)


async def test_edit_replaces_the_parts_given_on_the_version_the_citizen_saw(intake: Harness) -> None:
    dossier_id = await intake.create()
    answer = await intake.edit(dossier_id, {"title": "Cấp lại giấy phép", "form": {"chuyen_mon": "Dược sĩ"}}, 1)
    assert answer.json() == {"id": dossier_id, "status": "draft", "version": 2}
    record = await intake.record(dossier_id)
    assert record is not None and record["version"] == 2
    assert (record["content"]["title"], record["content"]["form"]) == ("Cấp lại giấy phép", {"chuyen_mon": "Dược sĩ"})
    assert record["content"]["applicant"]["full_name"] == "Nguyễn Văn An"  # a part not given stays
    await eventually(lambda: intake.published("dossier.draft_updated", dossier_id), timeout=5)
    [event] = intake.published("dossier.draft_updated", dossier_id)
    assert (event.version, event.data["content"]["title"]) == (2, "Cấp lại giấy phép")


async def test_edit_refuses_a_stale_version_invalid_content_and_a_sent_dossier(intake: Harness) -> None:
    dossier_id = await intake.ready()
    assert (await intake.edit(dossier_id, {"title": "Một"}, READY_VERSION)).status_code == 200
    stale = await intake.edit(dossier_id, {"title": "Cũ"}, READY_VERSION)
    assert (stale.status_code, stale.json()["error"]["code"]) == (412, "stale_version")
    invalid = await intake.edit(dossier_id, {"form": {"khong_co": 1}}, READY_VERSION + 1)
    assert (invalid.status_code, invalid.json()["error"]["code"]) == (422, "validation_error")
    assert (await intake.submit(dossier_id)).status_code == 200
    sent = await intake.edit(dossier_id, {"title": "Muộn"}, READY_VERSION + 2)
    assert (sent.status_code, sent.json()["error"]["code"]) == (409, "dossier_not_editable")
    record = await intake.record(dossier_id)
    assert record is not None and (record["version"], record["content"]["title"]) == (READY_VERSION + 2, "Một")


async def test_delete_leaves_a_tombstone_until_its_event_is_published(intake: Harness) -> None:
    dossier_id = await intake.create()
    assert (await intake.edit(dossier_id, {"title": "Sẽ xoá"}, 1)).status_code == 200
    answer = await intake.delete(dossier_id, expected_version=2)
    assert answer.json() == {"id": dossier_id, "status": "deleted", "version": 3}
    await eventually(lambda: intake.published("dossier.draft_deleted", dossier_id), timeout=5)
    assert [(event.type, event.version) for event in intake.published(dossier_id=dossier_id)] == [
        ("dossier.draft_created", 1), ("dossier.draft_updated", 2), ("dossier.draft_deleted", 3)]

    async def gone() -> bool:
        return await intake.record(dossier_id) is None

    await eventually(gone, timeout=5, what="the tombstone removed once its event left")
    again = await intake.submit(dossier_id)
    assert (again.status_code, again.json()["error"]["code"]) == (404, "dossier_not_found")


async def test_delete_refuses_a_stale_version_and_anything_but_a_draft(intake: Harness) -> None:
    dossier_id = await intake.ready()
    stale = await intake.delete(dossier_id, expected_version=READY_VERSION + 1)
    assert (stale.status_code, stale.json()["error"]["code"]) == (412, "stale_version")
    assert (await intake.submit(dossier_id)).status_code == 200
    sent = await intake.delete(dossier_id)
    assert (sent.status_code, sent.json()["error"]["code"]) == (409, "dossier_not_deletable")
    await intake.hand_back("supplement_requested", dossier_id, SENT_VERSION + 2)
    asked = await intake.delete(dossier_id, expected_version=SENT_VERSION + 2)
    assert (asked.status_code, asked.json()["error"]["code"]) == (409, "dossier_not_deletable")
    record = await intake.record(dossier_id)
    assert record is not None and (record["status"], record["version"]) == ("supplement_requested", SENT_VERSION + 2)
    assert len(await intake.blobs.ids()) == len(REQUIRED)  # refused deletes take no file with them


async def test_submit_hands_the_whole_dossier_over_to_processing(intake: Harness) -> None:
    dossier_id = await intake.ready()
    answer = await intake.submit(dossier_id)
    assert answer.json() == {"id": dossier_id, "status": "submitted", "version": SENT_VERSION}
    record = await intake.record(dossier_id)
    assert record is not None and (record["status"], record["version"]) == ("submitted", SENT_VERSION)
    await eventually(lambda: intake.published("dossier.submitted", dossier_id), timeout=5)
    [event] = intake.published("dossier.submitted", dossier_id)
    assert (event.version, event.data["from_status"], event.data["to_status"]) == (
        SENT_VERSION, "draft", "submitted")
    assert (event.data["owner_id"], event.data["content"]["title"]) == (OWNER, "Cấp giấy phép hành nghề")


async def test_submit_refuses_an_incomplete_form_and_a_dossier_already_sent(intake: Harness) -> None:
    dossier_id = await intake.ready(form={"chuyen_mon": "Bác sĩ"})
    incomplete = await intake.submit(dossier_id)
    assert (incomplete.status_code, incomplete.json()["error"]["code"]) == (409, "dossier_incomplete")
    assert list(incomplete.json()["error"]["fields"]) == ["form.pham_vi"]
    completed = await intake.edit(dossier_id, {"form": {"chuyen_mon": "Bác sĩ", "pham_vi": "Nhi"}}, READY_VERSION)
    assert completed.status_code == 200
    assert (await intake.submit(dossier_id)).status_code == 200
    twice = await intake.submit(dossier_id)
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "transition_not_allowed")
    record = await intake.record(dossier_id)
    assert record is not None and record["version"] == READY_VERSION + 2


async def test_a_dossier_sent_back_for_a_supplement_is_completed_and_sent_again(intake: Harness) -> None:
    dossier_id = await intake.submitted()
    asked = SENT_VERSION + 3
    await intake.hand_back("supplement_requested", dossier_id, asked)
    edited = await intake.edit(dossier_id, {"title": "Đã bổ sung"}, asked)
    assert edited.json() == {"id": dossier_id, "status": "supplement_requested", "version": asked + 1}
    sent = await intake.submit(dossier_id)
    assert sent.json() == {"id": dossier_id, "status": "submitted", "version": asked + 2}
    await eventually(lambda: len(intake.published("dossier.submitted", dossier_id)) == 2, timeout=5)
    resubmitted = intake.published("dossier.submitted", dossier_id)[-1]
    assert (resubmitted.version, resubmitted.data["from_status"]) == (asked + 2, "supplement_requested")
    assert resubmitted.data["content"]["title"] == "Đã bổ sung"

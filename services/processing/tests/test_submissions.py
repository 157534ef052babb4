"""Taking over intake's `dossier.submitted`: new dossiers, duplicates, and dossiers sent again."""

from datetime import date

from services.processing.tests.harness import OWNER, Harness, sent
from shared.messages import Actor, Envelope
from shared.working_calendar import load_calendar
from tests.support.waiting import eventually


async def test_a_new_submission_is_held_at_intakes_version(processing: Harness) -> None:
    dossier_id = await processing.submit(version=4, procedure_code="SYT-MP-01")
    record = await processing.record(dossier_id)
    assert {key: record[key] for key in ("status", "version", "owner_id", "procedure_code", "lookup_code")} == {
        "status": "submitted", "version": 4, "owner_id": OWNER, "procedure_code": "SYT-MP-01", "lookup_code": None}
    assert "owner_email" not in record  # notify asks intake for the account's address


async def test_a_submission_from_before_that_still_carries_the_contacts_is_held_without_them(
    processing: Harness,
) -> None:
    dossier_id = await processing.submit(with_contacts=True)
    record = await processing.record(dossier_id)
    assert record is not None and record["status"] == "submitted"
    assert "@" not in str(record) and "+84987654321" not in str(record)


async def test_a_duplicate_or_older_submission_changes_nothing(processing: Harness) -> None:
    dossier_id = await processing.submit(version=4)
    await processing.act(dossier_id, "accept")
    before = await processing.record(dossier_id)
    for version in (4, 3):
        await processing.submit(dossier_id, version=version)
    await processing.submit(version=2)  # handled after the two above: the queue keeps its order
    assert await processing.record(dossier_id) == before


async def test_a_resubmission_keeps_the_lookup_code_and_resumes_the_due_date(processing: Harness) -> None:
    dossier_id = await processing.submit(version=2)
    await processing.act(dossier_id, "accept")  # Tuesday 3 March 2026: due 17 March, v3
    lookup_code = (await processing.record(dossier_id))["lookup_code"]
    processing.clock.advance(days=7)  # Tuesday 10 March: 5 working days left
    await processing.act(dossier_id, "request-supplement", reason="Bổ sung bản sao")  # v4
    processing.clock.advance(days=10)  # Friday 20 March: the citizen sends it again, intake's v6
    await processing.submit(dossier_id, version=6, from_status="supplement_requested")

    record = await processing.record(dossier_id)
    expected_due = load_calendar().add_working_days(date(2026, 3, 20), 5)
    assert expected_due == date(2026, 3, 27)
    assert (record["status"], record["version"], record["lookup_code"]) == ("submitted", 7, lookup_code)
    assert (record["due_date"], record["remaining_working_days"]) == ("2026-03-27", None)
    await eventually(lambda: processing.published("dossier.due_date_changed", dossier_id), timeout=5)
    [changed] = processing.published("dossier.due_date_changed", dossier_id)
    assert (changed.version, changed.data, changed.actor.kind) == (7, {"due_date": "2026-03-27"}, "system")

    accepted = await processing.act(dossier_id, "accept")
    assert accepted.json() == {"id": dossier_id, "status": "received", "version": 8}
    await eventually(lambda: len(processing.published("dossier.received", dossier_id)) == 2, timeout=5)
    again = processing.published("dossier.received", dossier_id)[-1]
    assert (again.data["lookup_code"], again.data["due_date"]) == (lookup_code, "2026-03-27")


async def test_a_dossier_withdrawn_and_sent_again_is_simply_submitted(processing: Harness) -> None:
    dossier_id = await processing.submit(version=2)
    withdrawn = await processing.client.post(f"/dossiers/{dossier_id}/withdraw", json={"owner_id": OWNER})
    assert withdrawn.json() == {"id": dossier_id, "status": "draft", "version": 3}
    await processing.submit(dossier_id, version=5)
    record = await processing.record(dossier_id)
    assert (record["status"], record["version"], record["due_date"]) == ("submitted", 5, None)
    assert processing.published("dossier.due_date_changed", dossier_id) == []


async def test_the_documents_sent_are_kept_and_each_resubmission_replaces_them(processing: Harness) -> None:
    form, licence = sent("don-de-nghi", "đơn đề nghị.pdf"), sent("giay-phep-da-cap", "giấy phép cũ.pdf")
    dossier_id = await processing.submit(version=2, documents=[form, licence])
    record = await processing.record(dossier_id)
    assert record["documents"] == [form.model_dump(), licence.model_dump()]
    await processing.act(dossier_id, "accept")
    assert (await processing.record(dossier_id))["documents"] == record["documents"]  # a change keeps them

    await processing.act(dossier_id, "request-supplement", reason="Bổ sung ảnh", documents=["anh-chan-dung"])
    # Intake sends every document again, the supplemented one with its new file.
    photo = sent("anh-chan-dung", "ảnh 4x6.jpg")
    await processing.submit(dossier_id, version=6, from_status="supplement_requested",
                            documents=[form, licence, photo], changed_documents=["anh-chan-dung"])
    again = await processing.record(dossier_id)
    assert [document["code"] for document in again["documents"]] == ["don-de-nghi", "giay-phep-da-cap",
                                                                     "anh-chan-dung"]
    assert again["documents"][2]["files"][0]["filename"] == "ảnh 4x6.jpg"


async def test_a_record_stored_before_documents_were_kept_reads_as_one_without_any(processing: Harness) -> None:
    dossier_id = await processing.submit(version=2)
    await processing.store.memory.db["dossiers"].update_one({"_id": dossier_id}, {"$unset": {"documents": ""}})
    accepted = await processing.act(dossier_id, "accept")
    assert accepted.json()["status"] == "received", accepted.text
    assert (await processing.record(dossier_id))["documents"] == []


async def test_a_submission_that_cannot_be_right_goes_to_the_dead_letters(processing: Harness) -> None:
    dossier_id = await processing.submit(version=2)
    await processing.act(dossier_id, "accept")
    # Processing holds it (received): intake cannot have sent a newer submission.
    out_of_turn = await _publish_submission(processing, dossier_id, version=9)
    unreadable = Envelope(type="dossier.submitted", producer="intake", dossier_id="d-broken", version=2,
                          data={"owner_id": OWNER})
    await processing.bus.publish(unreadable)

    dead_ids: set[str] = set()

    async def both_dead_lettered() -> bool:
        dead_ids.update(envelope.id for envelope in await processing.bus.take_dead_letters("processing"))
        return {out_of_turn.id, unreadable.id} <= dead_ids

    await eventually(both_dead_lettered, timeout=5, what="both submissions dead-lettered")
    assert (await processing.record(dossier_id))["status"] == "received"


async def _publish_submission(processing: Harness, dossier_id: str, version: int) -> Envelope:
    original = next(event for event in processing.events if event.type == "dossier.submitted"
                    and event.dossier_id == dossier_id)
    resent = Envelope(type="dossier.submitted", producer="intake", dossier_id=dossier_id, version=version,
                      actor=Actor(kind="citizen", id=OWNER), data=original.data)
    await processing.bus.publish(resent)
    return resent

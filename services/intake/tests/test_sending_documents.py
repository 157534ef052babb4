"""Sending a dossier with its documents, and sending it again after a supplement request (yêu cầu bổ sung)."""

from services.intake.tests.harness import REQUIRED, SENT_VERSION, Harness, jpeg, name_of, pdf
from tests.support.waiting import eventually

DIPLOMA = "van-bang-chuyen-mon"
PHOTO = "anh-chan-dung"
ASKED = SENT_VERSION + 3


async def test_a_dossier_is_not_sent_without_a_file_for_each_required_document(intake: Harness) -> None:
    dossier_id = await intake.create()
    await intake.attached(dossier_id, "don-de-nghi", pdf())
    refused = await intake.submit(dossier_id)
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "dossier_incomplete")
    assert refused.json()["error"]["fields"] == {
        f"documents.{code}": f"Vui lòng đính kèm {name_of(code)}." for code in REQUIRED if code != "don-de-nghi"}
    record = await intake.record(dossier_id)
    assert record is not None and (record["status"], record["version"]) == ("draft", 2)


async def test_sending_freezes_the_files_and_hands_over_their_metadata(intake: Harness) -> None:
    dossier_id = await intake.submitted()
    files = await intake.files(dossier_id)
    assert len(files) == len(REQUIRED) and all(stored["sent"] for stored in files)
    await eventually(lambda: intake.published("dossier.submitted", dossier_id), timeout=5)
    [event] = intake.published("dossier.submitted", dossier_id)
    assert [document["code"] for document in event.data["documents"]] == REQUIRED  # the catalog's order
    assert event.data["changed_documents"] == []


async def test_a_supplement_is_sent_again_only_once_each_requested_document_has_a_new_file(intake: Harness) -> None:
    dossier_id = await intake.submitted()
    sent_before = {stored["code"]: stored["file"] for stored in await intake.files(dossier_id)}
    record = await intake.hand_back("supplement_requested", dossier_id, ASKED, documents=[DIPLOMA, PHOTO])
    assert record["supplement"] == {"documents": [DIPLOMA, PHOTO], "version": ASKED}

    # The files sent before are there, but they answer nothing the request asked for.
    refused = await intake.submit(dossier_id)
    assert refused.json()["error"]["fields"] == {
        f"documents.{DIPLOMA}": f"Vui lòng bổ sung {name_of(DIPLOMA)} theo yêu cầu.",
        f"documents.{PHOTO}": f"Vui lòng bổ sung {name_of(PHOTO)} theo yêu cầu."}
    new_diploma = await intake.attached(dossier_id, DIPLOMA, pdf("bản sao có chứng thực"), "Bằng bác sĩ.pdf")
    still = await intake.submit(dossier_id)
    assert still.json()["error"]["fields"] == {f"documents.{PHOTO}": f"Vui lòng bổ sung {name_of(PHOTO)} theo yêu cầu."}
    # An old file cannot be swapped out: it was sent, so it stays beside the new one.
    frozen = await intake.remove(dossier_id, DIPLOMA, sent_before[DIPLOMA]["id"])
    assert (frozen.status_code, frozen.json()["error"]["code"]) == (409, "document_file_frozen")
    assert name_of(DIPLOMA) in frozen.json()["error"]["message"]
    new_photo = await intake.attached(dossier_id, PHOTO, jpeg(), "ảnh 4x6.jpg")

    resent = await intake.submit(dossier_id)
    assert resent.json() == {"id": dossier_id, "status": "submitted", "version": ASKED + 3}
    files = await intake.files(dossier_id)
    assert len(files) == len(REQUIRED) + 2 and all(stored["sent"] for stored in files)
    await eventually(lambda: len(intake.published("dossier.submitted", dossier_id)) == 2, timeout=5)
    event = intake.published("dossier.submitted", dossier_id)[-1]
    assert (event.data["from_status"], event.data["changed_documents"]) == ("supplement_requested", [DIPLOMA, PHOTO])
    documents = {document["code"]: [file["id"] for file in document["files"]] for document in event.data["documents"]}
    assert documents[DIPLOMA] == [sent_before[DIPLOMA]["id"], new_diploma["id"]]  # oldest first
    assert documents[PHOTO] == [sent_before[PHOTO]["id"], new_photo["id"]]
    # Sent now, so staff may read it.
    staff = await intake.download(dossier_id, PHOTO, new_photo["id"], owner=None, for_staff=True)
    assert (staff.status_code, staff.content) == (200, jpeg())


async def test_a_supplement_request_naming_no_document_asks_for_no_file(intake: Harness) -> None:
    dossier_id = await intake.submitted()
    await intake.hand_back("supplement_requested", dossier_id, ASKED)
    assert (await intake.submit(dossier_id)).status_code == 200
    await eventually(lambda: len(intake.published("dossier.submitted", dossier_id)) == 2, timeout=5)
    assert intake.published("dossier.submitted", dossier_id)[-1].data["changed_documents"] == []


async def test_a_withdrawn_dossier_sent_again_names_the_documents_changed_since(intake: Harness) -> None:
    dossier_id = await intake.submitted()
    await intake.hand_back("withdrawn", dossier_id, SENT_VERSION + 1)
    await intake.attached(dossier_id, "giay-to-tieng-viet", pdf())
    assert (await intake.submit(dossier_id)).status_code == 200
    await eventually(lambda: len(intake.published("dossier.submitted", dossier_id)) == 2, timeout=5)
    assert intake.published("dossier.submitted", dossier_id)[-1].data["changed_documents"] == ["giay-to-tieng-viet"]

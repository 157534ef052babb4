"""Attached files read back, by their owner and by staff, removed, and what the events say of them."""

import json
from typing import Any

import pytest

from services.intake.tests.harness import OWNER, REQUIRED, Harness, jpeg, name_of, pdf
from tests.support.waiting import eventually

FORM = "don-de-nghi"
PHOTO = "anh-chan-dung"


async def test_removing_a_file_not_yet_sent_deletes_it_and_publishes_the_removal(intake: Harness) -> None:
    dossier_id = await intake.create()
    kept = await intake.attached(dossier_id, FORM, pdf("giữ lại"))
    gone = await intake.attached(dossier_id, FORM, pdf("gỡ bỏ"))
    answer = await intake.remove(dossier_id, FORM, gone["id"])
    assert answer.json() == {"id": dossier_id, "status": "draft", "version": 4}
    assert [stored["file"]["id"] for stored in await intake.files(dossier_id)] == [kept["id"]]
    assert await intake.blobs.ids() == [kept["id"]]
    gone_again = await intake.download(dossier_id, FORM, gone["id"])
    assert (gone_again.status_code, gone_again.json()["error"]["code"]) == (404, "document_file_not_found")
    await eventually(lambda: intake.published("dossier.document_removed", dossier_id), timeout=5)
    [event] = intake.published("dossier.document_removed", dossier_id)
    assert (event.version, event.data) == (4, {"code": FORM, "file_id": gone["id"]})


async def test_removing_an_unknown_file_or_under_the_wrong_document_is_not_found(intake: Harness) -> None:
    dossier_id = await intake.create()
    attached = await intake.attached(dossier_id, FORM, pdf())
    for code, file_id in ((FORM, "khong-co"), (PHOTO, attached["id"])):
        answer = await intake.remove(dossier_id, code, file_id)
        assert (answer.status_code, answer.json()["error"]["code"]) == (404, "document_file_not_found")
        assert name_of(code) in answer.json()["error"]["message"]
    assert await intake.blobs.ids() == [attached["id"]]


async def test_staff_read_only_files_that_were_sent(intake: Harness) -> None:
    dossier_id = await intake.ready()
    [first, *_] = await intake.files(dossier_id)
    code, file_id = first["code"], first["file"]["id"]
    draft = await intake.download(dossier_id, code, file_id, owner=None, for_staff=True)
    assert (draft.status_code, draft.json()["error"]["code"]) == (404, "dossier_not_found")
    assert (await intake.submit(dossier_id)).status_code == 200
    sent = await intake.download(dossier_id, code, file_id, owner=None, for_staff=True)
    assert (sent.status_code, sent.content) == (200, pdf(code))
    # Back for a supplement, a file added since is the citizen's to read, not yet the staff's.
    version = (await intake.record(dossier_id) or {})["version"]
    await intake.hand_back("supplement_requested", dossier_id, version + 2)
    added = await intake.attached(dossier_id, PHOTO, jpeg())
    not_yet = await intake.download(dossier_id, PHOTO, added["id"], owner=None, for_staff=True)
    assert (not_yet.status_code, not_yet.json()["error"]["code"]) == (404, "document_file_not_found")
    assert (await intake.download(dossier_id, PHOTO, added["id"])).content == jpeg()


@pytest.mark.parametrize("params", [{}, {"owner_id": OWNER, "for_staff": "true"}], ids=["neither", "both"])
async def test_a_download_names_either_the_owner_or_staff(intake: Harness, params: dict[str, Any]) -> None:
    dossier_id = await intake.create()
    attached = await intake.attached(dossier_id, FORM, pdf())
    answer = await intake.client.get(f"/dossiers/{dossier_id}/documents/{FORM}/{attached['id']}", params=params)
    assert (answer.status_code, answer.json()["error"]["code"]) == (422, "validation_error")


async def test_the_events_carry_the_files_metadata_never_their_bytes(intake: Harness) -> None:
    marker = "NỘI-DUNG-RIÊNG-TƯ-0123456789"
    dossier_id = await intake.ready()
    await intake.attached(dossier_id, PHOTO, pdf(marker))
    assert (await intake.submit(dossier_id)).status_code == 200
    await eventually(lambda: intake.published("dossier.submitted", dossier_id), timeout=5)
    for event in intake.published(dossier_id=dossier_id):
        assert marker not in json.dumps(event.model_dump(mode="json"), ensure_ascii=False)
    attached = intake.published("dossier.document_attached", dossier_id)
    assert len(attached) == len(REQUIRED) + 1
    for event in attached:
        assert set(event.data) == {"code", "file"}
        assert set(event.data["file"]) == {"id", "filename", "content_type", "size", "sha256", "uploaded_at"}
    [submitted] = intake.published("dossier.submitted", dossier_id)
    documents = {document["code"]: document["files"] for document in submitted.data["documents"]}
    assert set(documents) == set(REQUIRED)
    assert [file["size"] for file in documents[PHOTO]] == [len(pdf(PHOTO)), len(pdf(marker))]
    assert submitted.data["changed_documents"] == []

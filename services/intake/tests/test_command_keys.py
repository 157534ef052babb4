"""A citizen's command sent again under the key the gateway passes on (`Idempotency-Key`) answers its first
outcome and changes nothing: in turn, and two at once (the store lets the other run around every call)."""

import asyncio
from typing import Any
from uuid import uuid4

import httpx

from services.intake.tests.harness import OWNER, READY_VERSION, REQUIRED, Harness, content, pdf


def keyed() -> dict[str, str]:
    return {"Idempotency-Key": uuid4().hex}


async def twice_at_once_then_again(send: Any) -> list[httpx.Response]:
    answers = list(await asyncio.gather(send(), send()))
    answers.append(await send())
    first = answers[0]
    assert {(answer.status_code, answer.content) for answer in answers} == {(first.status_code, first.content)}, (
        [answer.text for answer in answers])
    return answers


async def test_a_draft_created_again_under_its_key_is_the_same_draft(intake: Harness) -> None:
    key = keyed()

    def create() -> Any:
        return intake.client.post("/dossiers", headers=key, json={"owner_id": OWNER, "content": content()})

    [created, *_] = await twice_at_once_then_again(create)
    assert created.status_code == 201 and created.json()["version"] == 1
    assert await intake.store.memory.db["dossiers"].count_documents({"owner_id": OWNER}) == 1
    assert len(intake.published("dossier.draft_created")) <= 1  # at most one, relayed or not yet
    # Another citizen's same key is theirs: another draft.
    theirs = await intake.client.post("/dossiers", headers=key, json={"owner_id": "citizen-2", "content": content()})
    assert theirs.status_code == 201 and theirs.json()["id"] != created.json()["id"]
    # Edited since, the draft is still answered as created: the first outcome, not the draft now.
    assert (await intake.edit(created.json()["id"], {"title": "Đã sửa"}, 1)).status_code == 200
    again = await create()
    assert again.json() == created.json()


async def test_a_submit_sent_again_answers_submitted_not_a_refusal(intake: Harness) -> None:
    dossier_id = await intake.ready()
    key = keyed()
    [sent, *_] = await twice_at_once_then_again(
        lambda: intake.client.post(f"/dossiers/{dossier_id}/submit", headers=key, json={"owner_id": OWNER}))
    assert sent.status_code == 200 and sent.json() == {"id": dossier_id, "status": "submitted",
                                                       "version": READY_VERSION + 1}
    record = await intake.record(dossier_id)
    assert record is not None and record["version"] == READY_VERSION + 1
    # Without its key, the same submit is another command: refused by the state the first left.
    assert (await intake.submit(dossier_id)).status_code == 409


async def test_an_edit_and_a_delete_sent_again_apply_once(intake: Harness) -> None:
    dossier_id = await intake.create()
    key = keyed()
    [edited, *_] = await twice_at_once_then_again(lambda: intake.client.patch(
        f"/dossiers/{dossier_id}", headers=key,
        json={"owner_id": OWNER, "changes": {"title": "Một lần"}, "expected_version": 1}))
    assert edited.json()["version"] == 2
    key = keyed()
    [deleted, *_] = await twice_at_once_then_again(lambda: intake.client.delete(
        f"/dossiers/{dossier_id}", headers=key, params={"owner_id": OWNER}))
    assert deleted.status_code == 200 and deleted.json() == {"id": dossier_id, "status": "deleted", "version": 3}
    # Kept to answer the key once its event is out, the tombstone holds nothing of what the citizen deleted.
    tombstone = await intake.record(dossier_id)
    assert tombstone is not None and tombstone["deleted"] and "content" not in tombstone


async def test_a_file_attached_again_under_its_key_is_stored_once(intake: Harness) -> None:
    dossier_id = await intake.create()
    key = keyed()
    code = REQUIRED[0]
    [attached, *_] = await twice_at_once_then_again(lambda: intake.client.post(
        f"/dossiers/{dossier_id}/documents/{code}", headers=key, params={"owner_id": OWNER, "filename": "a.pdf"},
        content=pdf("một lần")))
    assert attached.status_code == 201
    files = await intake.files(dossier_id)
    assert [stored["file"]["id"] for stored in files] == [attached.json()["id"]]
    # No bytes left behind by the repeats.
    assert await intake.blobs.ids() == [attached.json()["id"]]
    key = keyed()
    [removed, *_] = await twice_at_once_then_again(lambda: intake.client.delete(
        f"/dossiers/{dossier_id}/documents/{code}/{attached.json()['id']}", headers=key, params={"owner_id": OWNER}))
    assert removed.status_code == 200 and await intake.files(dossier_id) == []

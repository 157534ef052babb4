"""No blob outlives the record that points at it, and no record points at a blob that is gone.

The bytes (blob store) and the metadata (the dossier's document) are two writes; whatever happens between
them — a refusal, a cut-off upload, a dossier sent meanwhile, a store that fails — `BlobStore.ids()` ends
holding exactly the files the records list.
"""

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest

from services.intake.adapters import DossierRepository
from services.intake.domain import Dossier
from services.intake.tests.harness import (
    REQUIRED,
    SENT_VERSION,
    Harness,
    jpeg,
    pdf,
    start_intake_service,
    stop_intake_service,
)
from shared.holder.command_keys import KeptAnswer
from shared.messages import Envelope
from tests.support.waiting import eventually

PHOTO = "anh-chan-dung"


async def listed_files(intake: Harness, dossier_id: str) -> list[str]:
    """The ids of the files the dossier's record lists, as `BlobStore.ids()` sorts them."""
    return sorted(stored["file"]["id"] for stored in await intake.files(dossier_id))


class Held:
    """An upload that sends its first bytes, then waits to be let go before sending the rest."""

    def __init__(self, content: bytes) -> None:
        self.content = content
        self.streaming = asyncio.Event()
        self.go_on = asyncio.Event()

    async def chunks(self) -> AsyncIterator[bytes]:
        # Asked for its first chunk only once intake has checked the dossier and opened the blob.
        self.streaming.set()
        yield self.content[:16]
        await self.go_on.wait()
        yield self.content[16:]


async def test_deleting_a_draft_deletes_its_files(intake: Harness) -> None:
    dossier_id = await intake.ready()
    assert len(await intake.blobs.ids()) == len(REQUIRED)
    assert (await intake.delete(dossier_id)).status_code == 200
    assert await intake.blobs.ids() == []


async def test_deleting_a_withdrawn_draft_deletes_the_files_it_was_sent_with(intake: Harness) -> None:
    dossier_id = await intake.submitted()
    await intake.hand_back("withdrawn", dossier_id, SENT_VERSION + 1)
    assert (await intake.delete(dossier_id)).status_code == 200
    assert await intake.blobs.ids() == []


async def test_removed_files_leave_nothing(intake: Harness) -> None:
    dossier_id = await intake.create()
    for content in (pdf("một"), jpeg()):
        attached = await intake.attached(dossier_id, PHOTO, content)
        assert (await intake.remove(dossier_id, PHOTO, attached["id"])).status_code == 200
    assert await intake.blobs.ids() == [] and await intake.files(dossier_id) == []


async def test_no_refused_upload_leaves_a_blob() -> None:
    intake = await start_intake_service(max_file_bytes=1024, max_dossier_bytes=2048)
    try:
        dossier_id = await intake.create()
        refusals = [await intake.attach(dossier_id, PHOTO, body) for body in (
            b"", b"GIF89a" + bytes(40), pdf()[:30], pdf("x" * 2000), b"\xff\xd8\xff" + bytes(100))]
        refusals.append(await intake.attach(dossier_id, "khong-co", pdf()))
        assert [answer.json()["error"]["code"] for answer in refusals] == [
            "empty_file", "unsupported_file_type", "incomplete_file", "file_too_large", "incomplete_file",
            "unknown_document"]
        assert await intake.blobs.ids() == []
    finally:
        await stop_intake_service(intake)


async def test_an_upload_cut_off_mid_stream_leaves_nothing(intake: Harness) -> None:
    dossier_id = await intake.create()

    async def cut_off() -> AsyncIterator[bytes]:
        yield pdf()[:20]
        raise ConnectionResetError("the citizen's connection dropped")

    with pytest.raises(ConnectionResetError):
        await intake.attach(dossier_id, PHOTO, cut_off())
    assert await intake.blobs.ids() == []
    record = await intake.record(dossier_id)
    assert record is not None and (record["version"], record["files"]) == (1, [])


async def test_a_dossier_sent_while_a_file_streams_in_refuses_it_and_drops_its_bytes(intake: Harness) -> None:
    dossier_id = await intake.ready()
    upload = Held(jpeg())
    attaching = asyncio.ensure_future(intake.attach(dossier_id, PHOTO, upload.chunks()))
    await asyncio.wait_for(upload.streaming.wait(), timeout=5)
    assert (await intake.submit(dossier_id)).status_code == 200
    upload.go_on.set()
    answer = await attaching
    assert (answer.status_code, answer.json()["error"]["code"]) == (409, "dossier_not_editable")
    assert await intake.blobs.ids() == await listed_files(intake, dossier_id)
    assert len(await listed_files(intake, dossier_id)) == len(REQUIRED)


async def test_of_two_uploads_racing_for_the_last_room_the_loser_leaves_nothing() -> None:
    intake = await start_intake_service(max_file_bytes=1024, max_dossier_bytes=1536)
    try:
        dossier_id = await intake.create()
        uploads = [Held(pdf("a" * 700)), Held(pdf("b" * 700))]
        racing = [asyncio.ensure_future(intake.attach(dossier_id, PHOTO, upload.chunks())) for upload in uploads]
        for upload in uploads:  # both checked against the empty dossier before either is recorded
            await asyncio.wait_for(upload.streaming.wait(), timeout=5)
        for upload in uploads:
            upload.go_on.set()
        answers = await asyncio.gather(*racing)
        assert sorted((answer.status_code, answer.json().get("error", {}).get("code")) for answer in answers) == [
            (201, None), (413, "dossier_too_large")]
        assert await intake.blobs.ids() == await listed_files(intake, dossier_id)
        assert len(await intake.blobs.ids()) == 1
    finally:
        await stop_intake_service(intake)


async def test_a_store_failing_to_record_the_file_drops_its_bytes(
    intake: Harness, monkeypatch: pytest.MonkeyPatch,
) -> None:
    dossier_id = await intake.create()

    async def failing(self: DossierRepository, *args: Any) -> None:
        raise ConnectionError("MongoDB away")

    monkeypatch.setattr(DossierRepository, "save", failing)
    with pytest.raises(ConnectionError):
        await intake.attach(dossier_id, PHOTO, jpeg())
    assert await intake.blobs.ids() == []


async def test_a_failure_after_the_file_was_recorded_keeps_its_bytes(
    intake: Harness, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The write went through and only its answer was lost (a timeout on the way back): the record points at
    # the blob, so the blob stays.
    dossier_id = await intake.create()
    saving = DossierRepository.save

    async def stored_then_failed(self: DossierRepository, dossier: Dossier, previous_version: int,
                                 events: Sequence[Envelope], answered: KeptAnswer | None = None) -> None:
        await saving(self, dossier, previous_version, events, answered)
        raise TimeoutError("no answer from MongoDB")

    monkeypatch.setattr(DossierRepository, "save", stored_then_failed)
    with pytest.raises(TimeoutError):
        await intake.attach(dossier_id, PHOTO, jpeg())
    monkeypatch.undo()
    [listed] = await listed_files(intake, dossier_id)
    assert await intake.blobs.ids() == [listed]
    await eventually(lambda: intake.published("dossier.document_attached", dossier_id), timeout=5)

"""Files attached to a dossier's documents through intake's internal API: checked, streamed in, judged, stored."""

import hashlib
from collections.abc import AsyncIterable, AsyncIterator

import pytest

from services.intake.tests.harness import (
    REQUIRED,
    Harness,
    jpeg,
    name_of,
    pdf,
    png,
    start_intake_service,
    stop_intake_service,
)
from shared.blobs.memory import MemoryBlobStore
from shared.blobs.port import StoredBlob
from shared.documents import AttachedFile

FORM = "don-de-nghi"
PHOTO = "anh-chan-dung"
OTHER = "citizen-2"


async def assert_nothing_kept(intake: Harness, dossier_id: str, version: int = 1) -> None:
    """The refused upload left no bytes, no file on the record and no event."""
    assert await intake.blobs.ids() == []
    record = await intake.record(dossier_id)
    assert record is not None and (record["version"], record["files"]) == (version, [])
    assert await intake.outbox(dossier_id) in ([], [("dossier.draft_created", 1)])


async def test_an_upload_is_stored_and_answered_with_its_metadata(intake: Harness) -> None:
    dossier_id = await intake.create()
    content = pdf("Đơn đề nghị cấp mới")
    answer = await intake.attach(dossier_id, FORM, content, filename="Đơn đề nghị.pdf")
    assert answer.status_code == 201, answer.text
    attached = answer.json()
    assert set(attached) == {"id", "code", "filename", "content_type", "size", "sha256", "uploaded_at",
                             "dossier_id", "version"}
    assert {key: attached[key] for key in ("code", "filename", "content_type", "size", "sha256", "dossier_id",
                                           "version")} == {
        "code": FORM, "filename": "Đơn đề nghị.pdf", "content_type": "application/pdf", "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(), "dossier_id": dossier_id, "version": 2}
    assert await intake.blobs.ids() == [attached["id"]]
    [stored] = await intake.files(dossier_id)
    assert (stored["code"], stored["attached_version"], stored["sent"]) == (FORM, 2, False)
    assert AttachedFile.model_validate(stored["file"]) == AttachedFile.model_validate(attached)


@pytest.mark.parametrize(("content", "filename", "content_type"), [
    (pdf(), "don.pdf", "application/pdf"),
    (jpeg(), "anh.jpg", "image/jpeg"),
    (png(), "anh.png", "image/png"),
    (png(), "anh.pdf", "image/png"),  # named a PDF, but the bytes are a PNG: the bytes say what it is
], ids=["pdf", "jpeg", "png", "png named .pdf"])
async def test_each_accepted_format_is_typed_by_its_bytes_and_read_back_whole(
    intake: Harness, content: bytes, filename: str, content_type: str,
) -> None:
    dossier_id = await intake.create()
    attached = await intake.attached(dossier_id, PHOTO, content, filename)
    assert attached["content_type"] == content_type
    downloaded = await intake.download(dossier_id, PHOTO, attached["id"])
    assert downloaded.status_code == 200
    assert downloaded.content == content
    assert downloaded.headers["content-type"] == content_type
    assert downloaded.headers["content-length"] == str(len(content))
    assert downloaded.headers["x-content-type-options"] == "nosniff"
    assert downloaded.headers["content-disposition"].startswith(f'attachment; filename="{filename}"')


async def test_a_vietnamese_name_is_kept_and_offered_back_on_download(intake: Harness) -> None:
    dossier_id = await intake.create()
    attached = await intake.attached(dossier_id, "van-bang-chuyen-mon", pdf(), "Bằng tốt nghiệp.pdf")
    assert attached["filename"] == "Bằng tốt nghiệp.pdf"
    downloaded = await intake.download(dossier_id, "van-bang-chuyen-mon", attached["id"])
    assert downloaded.headers["content-disposition"] == (
        "attachment; filename=\"Bang tot nghiep.pdf\"; "
        "filename*=UTF-8''B%E1%BA%B1ng%20t%E1%BB%91t%20nghi%E1%BB%87p.pdf")


@pytest.mark.parametrize(("raw", "kept"), [
    ("../../etc/passwd", "passwd"), ("C:\\x\\y.pdf", "y.pdf"), ("..", "tep-dinh-kem"), (None, "tep-dinh-kem")],
    ids=["unix climb", "windows path", "dots only", "no name"])
async def test_a_path_in_the_filename_is_cut_to_its_base_name(intake: Harness, raw: str | None, kept: str) -> None:
    dossier_id = await intake.create()
    answer = await intake.attach(dossier_id, FORM, pdf(), filename=raw)
    assert (answer.status_code, answer.json()["filename"]) == (201, kept)


async def test_html_named_pdf_is_refused_by_its_content(intake: Harness) -> None:
    dossier_id = await intake.create()
    answer = await intake.attach(dossier_id, FORM, b"<!DOCTYPE html><html><script>alert(1)</script></html>",
                                 filename="don.pdf")
    assert (answer.status_code, answer.json()["error"]["code"]) == (415, "unsupported_file_type")
    message = answer.json()["error"]["message"]
    assert name_of(FORM) in message and "PDF, JPEG hoặc PNG" in message
    await assert_nothing_kept(intake, dossier_id)


async def test_an_empty_file_and_a_truncated_pdf_are_refused(intake: Harness) -> None:
    dossier_id = await intake.create()
    empty = await intake.attach(dossier_id, FORM, b"")
    assert (empty.status_code, empty.json()["error"]["code"]) == (422, "empty_file")
    assert name_of(FORM) in empty.json()["error"]["message"]
    truncated = await intake.attach(dossier_id, FORM, pdf()[:-12])
    assert (truncated.status_code, truncated.json()["error"]["code"]) == (422, "incomplete_file")
    assert f"Tệp PDF đính kèm cho “{name_of(FORM)}” không hoàn chỉnh" in truncated.json()["error"]["message"]
    await assert_nothing_kept(intake, dossier_id)


async def test_a_file_past_the_limit_is_refused_naming_the_limit() -> None:
    intake = await start_intake_service(max_file_bytes=2048, max_dossier_bytes=4096)
    try:
        dossier_id = await intake.create()
        answer = await intake.attach(dossier_id, FORM, pdf("x" * 3000))
        assert (answer.status_code, answer.json()["error"]["code"]) == (413, "file_too_large")
        assert answer.json()["error"]["message"] == (
            f"Tệp đính kèm cho “{name_of(FORM)}” vượt quá 2 KB, dung lượng tối đa của một tệp.")
        await assert_nothing_kept(intake, dossier_id)
    finally:
        await stop_intake_service(intake)


async def test_files_past_the_dossiers_limit_are_refused_whichever_document() -> None:
    intake = await start_intake_service(max_file_bytes=2048, max_dossier_bytes=3000)
    try:
        dossier_id = await intake.create()
        await intake.attached(dossier_id, FORM, pdf("x" * 1800))
        # 1 900 bytes would fit the file limit, not what is left of the dossier's.
        answer = await intake.attach(dossier_id, PHOTO, pdf("y" * 1800))
        assert (answer.status_code, answer.json()["error"]["code"]) == (413, "dossier_too_large")
        assert answer.json()["error"]["message"] == (
            f"Không thể đính kèm tệp cho “{name_of(PHOTO)}”: tổng dung lượng các tệp của một hồ sơ không được "
            "vượt quá 2,9 KB.")
        assert len(await intake.blobs.ids()) == 1
        assert (await intake.attach(dossier_id, PHOTO, jpeg())).status_code == 201  # what still fits goes in
    finally:
        await stop_intake_service(intake)


async def test_a_dossier_with_as_many_files_as_allowed_takes_no_more_until_one_is_removed() -> None:
    intake = await start_intake_service(max_files_per_dossier=2)
    try:
        dossier_id = await intake.create()
        first = await intake.attached(dossier_id, FORM, pdf("1"))
        await intake.attached(dossier_id, FORM, pdf("2"))
        answer = await intake.attach(dossier_id, PHOTO, jpeg())
        assert (answer.status_code, answer.json()["error"]["code"]) == (409, "too_many_files")
        assert answer.json()["error"]["message"] == (
            f"Không thể đính kèm thêm tệp cho “{name_of(PHOTO)}”: mỗi hồ sơ có tối đa 2 tệp đính kèm.")
        assert (await intake.remove(dossier_id, FORM, first["id"])).status_code == 200
        assert (await intake.attach(dossier_id, PHOTO, jpeg())).status_code == 201
    finally:
        await stop_intake_service(intake)


async def test_an_unknown_document_is_not_found(intake: Harness) -> None:
    dossier_id = await intake.create()
    answer = await intake.attach(dossier_id, "ban-sao-ho-chieu", pdf())
    assert (answer.status_code, answer.json()["error"]["code"]) == (404, "unknown_document")
    assert "“ban-sao-ho-chieu”" in answer.json()["error"]["message"]
    await assert_nothing_kept(intake, dossier_id)


async def test_another_citizens_dossier_is_not_found_and_nothing_changes(intake: Harness) -> None:
    dossier_id = await intake.create(owner=OTHER)
    theirs = await intake.attached(dossier_id, FORM, pdf(), owner=OTHER)
    before = await intake.record(dossier_id)
    for answer in (await intake.attach(dossier_id, FORM, pdf()),
                   await intake.remove(dossier_id, FORM, theirs["id"]),
                   await intake.download(dossier_id, FORM, theirs["id"])):
        assert (answer.status_code, answer.json()["error"]["code"]) == (404, "dossier_not_found")
    assert await intake.record(dossier_id) == before
    assert await intake.blobs.ids() == [theirs["id"]]


async def test_a_sent_dossier_takes_no_file_and_loses_none(intake: Harness) -> None:
    dossier_id = await intake.submitted()
    [first, *_] = await intake.files(dossier_id)
    added = await intake.attach(dossier_id, PHOTO, jpeg())
    assert (added.status_code, added.json()["error"]["code"]) == (409, "dossier_not_editable")
    assert name_of(PHOTO) in added.json()["error"]["message"]
    removed = await intake.remove(dossier_id, first["code"], first["file"]["id"])
    assert (removed.status_code, removed.json()["error"]["code"]) == (409, "dossier_not_editable")
    assert len(await intake.files(dossier_id)) == len(await intake.blobs.ids()) == len(REQUIRED)


class CountingBlobStore(MemoryBlobStore):
    """The memory store, counting the chunks (with bytes in them) each upload hands it."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks_seen: list[int] = []

    async def put(self, blob_id: str, chunks: AsyncIterable[bytes], *, max_bytes: int) -> StoredBlob:
        self.chunks_seen.append(0)

        async def counted() -> AsyncIterator[bytes]:
            async for chunk in chunks:
                self.chunks_seen[-1] += 1 if chunk else 0
                yield chunk

        return await super().put(blob_id, counted(), max_bytes=max_bytes)


async def test_an_upload_streamed_in_many_chunks_is_stored_byte_identical() -> None:
    blobs = CountingBlobStore()
    intake = await start_intake_service(blobs=blobs)
    try:
        dossier_id = await intake.create()
        parts = [b"%PDF-1.7\n", *(f"% dòng {index:04d} ".encode() * 40 + b"\n" for index in range(300)), b"%%EOF\n"]

        async def upload() -> AsyncIterator[bytes]:
            for part in parts:
                yield part

        attached = await intake.attached(dossier_id, FORM, upload(), "Hồ sơ dài.pdf")
        whole = b"".join(parts)
        assert (attached["size"], attached["sha256"]) == (len(whole), hashlib.sha256(whole).hexdigest())
        # Chunk by chunk as they came, never gathered into one body first.
        assert blobs.chunks_seen == [len(parts)]
        assert (await intake.download(dossier_id, FORM, attached["id"])).content == whole
    finally:
        await stop_intake_service(intake)

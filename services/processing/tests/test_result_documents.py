"""Result documents in the blob store: streamed in, judged by their bytes, streamed back out byte for byte,
and never left behind by a refusal; those stored before the blob store moved into it at start."""

import asyncio
import base64
import hashlib
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bson import Binary

from services.processing.bootstrap import bootstrap
from services.processing.handlers.result_documents import StoredDocumentMissing
from services.processing.settings import ProcessingSettings
from services.processing.tests.harness import (
    OWNER,
    PDF,
    Harness,
    start_processing_service,
    stop_processing_service,
)
from shared.blobs.files import FileBlobStore
from shared.blobs.port import CHUNK_BYTES
from shared.store.memory import MemoryStore
from tests.support.interleaving import InterleavingStore
from tests.support.service_harness import Clock, in_process_bus, stop_service
from tests.support.waiting import eventually

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + bytes(17) + b"\x00\x00\x00\x00IEND\xaeB`\x82"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(40) + b"\xff\xd9"
HTML = b"<!doctype html><html><body><script>alert('portal')</script></body></html>"


@pytest.fixture()
async def small_limit() -> AsyncIterator[Harness]:
    harness = await start_processing_service(max_document_bytes=4096)
    try:
        yield harness
    finally:
        await stop_processing_service(harness)


async def processing_started(processing: Harness) -> str:
    dossier_id = await processing.submit()
    for action in ("accept", "start-processing"):
        assert (await processing.act(dossier_id, action)).status_code == 200
    return dossier_id


async def download(processing: Harness, dossier_id: str) -> bytes:
    chosen = await processing.client.put(f"/dossiers/{dossier_id}/result-delivery",
                                         json={"owner_id": OWNER, "method": "online"})
    assert chosen.status_code == 200, chosen.text
    answer = await processing.client.get(f"/dossiers/{dossier_id}/result", params={"owner_id": OWNER})
    assert answer.status_code == 200, answer.text
    return answer.content


async def test_a_large_document_streams_in_and_comes_back_byte_for_byte_with_its_headers(
    processing: Harness,
) -> None:
    # Several chunks' worth, past the form parser's first megabyte in memory.
    large = b"%PDF-1.7\n" + os.urandom(3 * CHUNK_BYTES + 12345) + b"\n%%EOF\n"
    dossier_id = await processing_started(processing)
    issued = await processing.issue_result(dossier_id, ("Giấy phép hành nghề số 12.pdf", large, "application/pdf"))
    assert issued.json()["status"] == "result_ready", issued.text
    document = (await processing.record(dossier_id))["result"]["document"]
    assert document["size_bytes"] == len(large)
    received = processing.chunks_received(document["id"])
    assert len(received) > 1 and max(received) <= CHUNK_BYTES and sum(received) == len(large)

    await processing.client.put(f"/dossiers/{dossier_id}/result-delivery",
                                json={"owner_id": OWNER, "method": "online"})
    answer = await processing.client.get(f"/dossiers/{dossier_id}/result", params={"owner_id": OWNER})
    assert answer.status_code == 200
    assert hashlib.sha256(answer.content).digest() == hashlib.sha256(large).digest()
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-length"] == str(len(large))
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["cache-control"] == "private, no-store"
    assert answer.headers["content-disposition"] == (
        "attachment; filename=\"Giay phep hanh nghe so 12.pdf\"; "
        "filename*=UTF-8''Gi%E1%BA%A5y%20ph%C3%A9p%20h%C3%A0nh%20ngh%E1%BB%81%20s%E1%BB%91%2012.pdf")
    assert answer.headers["x-dossier-version"] == "7"


@pytest.mark.parametrize(("name", "content", "declared", "stored_type"), [
    ("scan.png", PNG, "image/png", "image/png"),
    ("scan.jpg", JPEG, "image/jpeg", "image/jpeg"),
    # The sender's name and type are only their word: the bytes say it is a PNG.
    ("ket-qua.pdf", PNG, "application/pdf", "image/png"),
    ("ket-qua", PDF, "application/octet-stream", "application/pdf"),
])
async def test_the_stored_type_is_the_one_the_bytes_show(
    processing: Harness, name: str, content: bytes, declared: str, stored_type: str,
) -> None:
    dossier_id = await processing_started(processing)
    issued = await processing.issue_result(dossier_id, (name, content, declared))
    assert issued.status_code == 200, issued.text
    await eventually(lambda: processing.published("dossier.result_issued", dossier_id), timeout=5)
    [event] = processing.published("dossier.result_issued", dossier_id)
    assert (event.data["document"]["filename"], event.data["document"]["content_type"]) == (name, stored_type)
    assert await download(processing, dossier_id) == content


@pytest.mark.parametrize(("content", "status", "code", "says"), [
    (HTML, 415, "unsupported_file_type", "chỉ nhận tệp PDF, JPEG hoặc PNG"),
    (b"%PDF-1.7\n" + b"1 0 obj << >> endobj\n" * 50, 422, "incomplete_file", "PDF không hoàn chỉnh"),
    (b"", 422, "empty_file", "không có nội dung"),
    (PDF[:-1] + b"x" * 4097 + b"\n%%EOF\n", 413, "document_too_large", "vượt quá dung lượng"),
], ids=["html-named-pdf", "truncated-pdf", "empty", "oversized"])
async def test_a_document_that_is_not_what_it_says_is_refused_and_nothing_is_kept(
    small_limit: Harness, content: bytes, status: int, code: str, says: str,
) -> None:
    processing = small_limit
    dossier_id = await processing_started(processing)
    before = await processing.record(dossier_id)
    refused = await processing.issue_result(dossier_id, ("ket-qua.pdf", content, "application/pdf"))
    assert (refused.status_code, refused.json()["error"]["code"]) == (status, code), refused.text
    assert says in refused.json()["error"]["message"]
    assert await processing.blobs.ids() == []
    assert await processing.record(dossier_id) == before


async def test_the_bus_door_refuses_by_content_too_and_keeps_nothing(processing: Harness) -> None:
    dossier_id = await processing_started(processing)
    before = await processing.record(dossier_id)
    command = await processing.command("issue-result", dossier_id, {"summary": "Cấp giấy phép", "document": {
        "filename": "giay-phep.pdf", "content_type": "application/pdf",
        "content_base64": base64.b64encode(HTML).decode()}})
    outcome = await processing.outcome_of(command)
    assert (outcome.type, outcome.data["code"]) == ("command.rejected", "unsupported_file_type")
    assert "PDF, JPEG hoặc PNG" in outcome.data["reason"]
    assert await processing.blobs.ids() == []
    assert await processing.record(dossier_id) == before


async def test_of_two_results_issued_at_once_one_is_kept_and_the_losers_document_is_deleted(
    processing: Harness,
) -> None:
    dossier_id = await processing_started(processing)
    answers = await asyncio.gather(*(processing.issue_result(dossier_id, (f"kq-{n}.pdf", PDF, "application/pdf"))
                                     for n in range(3)))
    assert sorted(answer.status_code for answer in answers) == [200, 409, 409]
    document = (await processing.record(dossier_id))["result"]["document"]
    assert await processing.blobs.ids() == [document["id"]]


async def test_a_document_missing_from_the_blob_store_is_an_error_and_returns_nothing(processing: Harness) -> None:
    dossier_id = await processing_started(processing)
    await processing.issue_result(dossier_id, ("kq.pdf", PDF, "application/pdf"))
    await processing.client.put(f"/dossiers/{dossier_id}/result-delivery",
                                json={"owner_id": OWNER, "method": "online"})
    [blob_id] = await processing.blobs.ids()
    await processing.blobs.delete(blob_id)  # an operator's mistake, a restored backup without the bucket
    with pytest.raises(StoredDocumentMissing):
        await processing.client.get(f"/dossiers/{dossier_id}/result", params={"owner_id": OWNER})
    # Checked before the download counts: the citizen has not received the result.
    assert (await processing.record(dossier_id))["status"] == "result_ready"


async def test_accepted_types_are_a_setting_and_an_unknown_one_is_refused_at_start() -> None:
    pdf_only = await start_processing_service(accepted_result_types=["application/pdf"])
    try:
        dossier_id = await processing_started(pdf_only)
        refused = await pdf_only.issue_result(dossier_id, ("anh.png", PNG, "image/png"))
        assert (refused.status_code, refused.json()["error"]["code"]) == (415, "unsupported_file_type")
        assert "chỉ nhận tệp PDF." in refused.json()["error"]["message"]
        assert await pdf_only.blobs.ids() == []
    finally:
        await stop_processing_service(pdf_only)
    with pytest.raises(ValueError, match="text/html"):
        ProcessingSettings(accepted_result_types=["application/pdf", "text/html"])


async def test_a_document_stored_before_the_blob_store_is_moved_into_it_and_still_downloads() -> None:
    memory = MemoryStore("hoso_processing")
    legacy = b"%PDF-1.4 ban cu, khong kiem tra noi dung"
    issued_at = datetime(2026, 2, 10, 3, 0, tzinfo=UTC)
    # Both as the previous release stored them: the bytes in `documents`, a record with no `documents` field.
    await memory.db["documents"].insert_one({
        "_id": "doc-old", "dossier_id": "d-old", "filename": "giấy phép.pdf", "content_type": "application/pdf",
        "size_bytes": len(legacy), "content": Binary(legacy), "stored_at": issued_at})
    await memory.db["dossiers"].insert_one({
        "_id": "d-old", "owner_id": OWNER, "owner_email": None, "procedure_code": "SYT-KCB-02",
        "status": "result_ready", "version": 5, "lookup_code": "000.00.17.H00-260210-0001",
        "received_at": issued_at, "due_date": "2026-02-24", "remaining_working_days": None,
        "result": {"summary": "Cấp giấy phép", "issued_at": issued_at, "delivery": None, "document": {
            "id": "doc-old", "filename": "giấy phép.pdf", "content_type": "application/pdf",
            "size_bytes": len(legacy)}},
        "updated_at": issued_at, "outbox": [], "applied_commands": []})
    processing = await start_processing_service(memory=memory)
    try:
        assert await processing.blobs.ids() == ["doc-old"]
        assert await memory.db["documents"].count_documents({}) == 0
        assert await download(processing, "d-old") == legacy
        assert (await processing.record("d-old"))["status"] == "result_returned"
    finally:
        await stop_processing_service(processing)


async def test_bootstrap_opens_the_blob_store_its_settings_name(tmp_path: Path) -> None:
    """Without a blob store given, one beside the journal directory (STORE_JOURNAL_DIR), as in production."""
    settings = ProcessingSettings(outbox_poll_seconds=0.05, mongo_url=None, store_journal_dir=tmp_path)
    bus, store, clock = in_process_bus("processing"), InterleavingStore(MemoryStore("hoso_processing")), Clock()
    service = bootstrap(settings, bus, store, clock=clock)
    beside_the_journal = FileBlobStore(tmp_path / f"{settings.namespace}_processing.blobs")
    processing = await Harness.start(service, bus, store, clock, blobs=beside_the_journal)
    try:
        dossier_id = await processing_started(processing)
        assert (await processing.issue_result(dossier_id, ("kq.pdf", PDF, "application/pdf"))).status_code == 200
        document = (await processing.record(dossier_id))["result"]["document"]
        assert await beside_the_journal.ids() == [document["id"]]
        assert await download(processing, dossier_id) == PDF
    finally:
        await stop_service(processing)

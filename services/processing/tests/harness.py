"""Processing as the tests drive it (tests/support/service_harness.py): the real bootstrap on the in-process
bus and the in-memory store, intake's hand-over, `dossier.submitted`, as the tests publish it, and the blob
store the result documents go to, watched."""

from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import httpx

from services.processing.bootstrap import bootstrap
from services.processing.settings import ProcessingSettings
from shared.blobs import BlobStore, StoredBlob
from shared.blobs.memory import MemoryBlobStore
from shared.documents import AttachedFile, SentDocument
from shared.messages import Actor, DossierContent, DossierSubmitted, Envelope
from shared.messaging.port import Bus
from shared.store.memory import MemoryStore
from tests.support.interleaving import InterleavingStore
from tests.support.service_harness import OWNER, STAFF, Clock, ServiceHarness, in_process_bus, stop_service

__all__ = ["OWNER", "PDF", "STAFF", "Harness", "WatchedBlobStore", "content", "sent", "start_processing_service",
           "stop_processing_service"]

# A whole PDF, as the content check wants it: its signature first, its end marker last.
PDF = b"%PDF-1.7\n% Giay chung nhan du dieu kien\n%%EOF\n"


def content(procedure_code: str = "SYT-KCB-02") -> DossierContent:
    return DossierContent.model_validate({
        "procedure_code": procedure_code, "title": "Cấp lại chứng chỉ hành nghề",
        "applicant": {"full_name": "Trần Thị Bình", "id_number": "001190000222", "phone": "0912000111",
                      "email": "binh@example.vn", "address": "Hà Nội"},
        "form": {"chuyen_mon": "Điều dưỡng", "ly_do": "Bị mất"}})


def sent(code: str, *filenames: str) -> SentDocument:
    """A document as intake sends it: its code and its files' metadata (the bytes stay with intake)."""
    return SentDocument(code=code, files=[AttachedFile(
        id=f"f-{uuid4().hex[:8]}", filename=filename, content_type="application/pdf", size=1234, sha256="0" * 64,
        uploaded_at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC)) for filename in filenames])


class WatchedBlobStore(MemoryBlobStore):
    """The in-memory blob store, remembering the sizes of the chunks each upload came in (streamed or whole)."""

    def __init__(self) -> None:
        super().__init__()
        self.chunk_sizes: dict[str, list[int]] = {}

    async def put(self, blob_id: str, chunks: AsyncIterable[bytes], *, max_bytes: int) -> StoredBlob:
        sizes = self.chunk_sizes.setdefault(blob_id, [])

        async def watched() -> AsyncIterator[bytes]:
            async for chunk in chunks:
                sizes.append(len(chunk))
                yield chunk

        return await super().put(blob_id, watched(), max_bytes=max_bytes)


@dataclass
class Harness(ServiceHarness):
    blobs: BlobStore = field(default_factory=WatchedBlobStore)

    async def record(self, dossier_id: str) -> dict[str, Any]:
        return await self.stored("dossiers", dossier_id)

    async def blob(self, blob_id: str) -> bytes:
        """A stored result document's bytes, as the blob store reads them back."""
        return b"".join([chunk async for chunk in self.blobs.read(blob_id)])

    def chunks_received(self, blob_id: str) -> list[int]:
        """The sizes of the chunks a stored document came in, as the blob store was handed them."""
        assert isinstance(self.blobs, WatchedBlobStore), "a harness on a blob store of the test's own"
        return self.blobs.chunk_sizes[blob_id]

    async def submit(self, dossier_id: str | None = None, *, version: int = 2, owner: str = OWNER,
                     procedure_code: str = "SYT-KCB-02", from_status: str = "draft",
                     documents: list[SentDocument] | None = None, changed_documents: list[str] | None = None,
                     with_contacts: bool = False) -> str:
        """Publish intake's `dossier.submitted` and wait until processing holds that version; `with_contacts`
        as intake published it before the account's address and phone left the events."""
        dossier_id = dossier_id or f"d-{uuid4().hex[:8]}"
        payload = DossierSubmitted(from_status=from_status, owner_id=owner, content=content(procedure_code),
                                   documents=documents or [], changed_documents=changed_documents or [])
        data = payload.model_dump(mode="json")
        if with_contacts:
            data |= {"owner_email": f"{owner}@example.vn", "owner_phone": "+84987654321"}
        await self.bus.publish(Envelope(
            type=payload.message_type, producer="intake", dossier_id=dossier_id, version=version,
            actor=Actor(kind="citizen", id=owner), data=data))
        await self.holds("dossiers", dossier_id, version)
        return dossier_id

    async def act(self, dossier_id: str, action: str, actor_id: str = STAFF.id, **fields: Any) -> httpx.Response:
        return await self.client.post(f"/dossiers/{dossier_id}/actions/{action}",
                                      json={"actor_id": actor_id, **fields})

    async def issue_result(self, dossier_id: str, document: tuple[str, bytes, str] | None = None,
                           summary: str = "Đủ điều kiện") -> httpx.Response:
        """Staff's multipart upload: `document` is (file name, bytes, declared type)."""
        return await self.client.post(f"/dossiers/{dossier_id}/actions/issue-result",
                                      data={"actor_id": STAFF.id, "summary": summary},
                                      files={"document": document} if document else None)


async def start_processing_service(
    *, bus: Bus | None = None, memory: MemoryStore | None = None, blobs: BlobStore | None = None, **settings: Any,
) -> Harness:
    """Processing on its own bus and store, or as one more replica on those of another harness."""
    bus = bus or in_process_bus("processing")
    store = InterleavingStore(memory or MemoryStore("hoso_processing"))
    blobs = blobs or WatchedBlobStore()
    clock = Clock()
    service = bootstrap(ProcessingSettings(outbox_poll_seconds=0.05, **settings), bus, store, blobs=blobs,
                        clock=clock)
    return await Harness.start(service, bus, store, clock, blobs=blobs)


stop_processing_service = stop_service

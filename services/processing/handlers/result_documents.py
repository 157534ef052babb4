"""Result documents (văn bản kết quả) in the blob store: streamed in and judged, discarded, streamed out.

The bytes and the dossier that refers to them are two writes, so their order keeps them together: a
document is stored before the result that refers to it, deleted again when that result is not stored, and
never deleted once a result refers to it. Only its metadata (`ResultDocument`) reaches the record and the
events.
"""

from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass

from services.processing.dependencies import Processing
from services.processing.domain import result_file
from services.processing.errors import DocumentTooLarge
from shared.blobs import BlobTooLarge
from shared.blobs.content_types import ContentInspector
from shared.errors import DomainError
from shared.lifecycle import ResultDocument
from shared.logging import get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class ResultUpload:
    """A result document as one of the doors hands it in: its name, and its bytes as they arrive."""

    filename: str
    chunks: AsyncIterable[bytes]

    @classmethod
    def named(cls, filename: str | None, chunks: AsyncIterable[bytes]) -> "ResultUpload":
        return cls(result_file.clean_filename(filename), chunks)


class StoredDocumentMissing(RuntimeError):
    """A dossier refers to a result document the blob store does not have: an operator must look."""


async def store(processing: Processing, upload: ResultUpload) -> ResultDocument:
    """Stream the upload into the blob store and judge it by its bytes; a refused one is not kept.

    The upload can be read only once: a caller that decides again after a write conflict keeps what this
    answered instead of calling it again.
    """
    inspector = ContentInspector(processing.accepted_result_types)
    blob_id = processing.new_id()
    try:
        stored = await processing.blobs.put(blob_id, _watched(upload.chunks, inspector),
                                            max_bytes=processing.max_document_bytes)
    except BlobTooLarge:
        raise DocumentTooLarge(processing.max_document_bytes) from None  # the store kept nothing of it
    try:
        file_format = result_file.judge(stored.size, inspector, processing.accepted_result_types)
    except DomainError as refusal:
        await processing.blobs.delete(blob_id)
        log.info("result_document_refused", blob_id=blob_id, code=refusal.code)
        raise
    return ResultDocument(id=blob_id, filename=upload.filename, content_type=file_format.content_type,
                          size_bytes=stored.size)


async def discard(processing: Processing, document: ResultDocument, reason: str) -> None:
    """Delete a stored document no result came to refer to (the command lost, or failed)."""
    await processing.blobs.delete(document.id)
    log.info("result_document_discarded", blob_id=document.id, reason=reason)


async def read(processing: Processing, dossier_id: str, document: ResultDocument) -> AsyncIterator[bytes]:
    """The document's bytes, chunk by chunk, once it is known to be there.

    Checked before anything changes or an answer starts: a download that cannot be served returns nothing.
    Result documents are never deleted once referred to, so what is there now is there when it is read.
    """
    if not await processing.blobs.exists(document.id):
        log.error("result_document_missing", dossier_id=dossier_id, blob_id=document.id)
        raise StoredDocumentMissing(f"dossier {dossier_id} refers to missing document {document.id}")
    return processing.blobs.read(document.id)


async def _watched(chunks: AsyncIterable[bytes], inspector: ContentInspector) -> AsyncIterator[bytes]:
    """The chunks on their way to the store, shown to the inspector (it keeps only the head and the tail)."""
    async for chunk in chunks:
        inspector.observe(chunk)
        yield chunk

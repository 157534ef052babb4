"""The citizen's files on the dossier's component documents (tệp đính kèm): attach, remove, read back.

The bytes go to the blob store, the metadata to the dossier's record and events. The two are not one
write, so the order is what keeps them together: an upload's bytes are stored first and deleted again on
any refusal or failure before the record points at them; a removed file's (or a deleted draft's) bytes
are deleted only once the record no longer points at them. No blob outlives its dossier, and no record
points at a blob that is gone.
"""

from collections.abc import AsyncIterable, AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any

from services.intake import domain
from services.intake.dependencies import Intake
from services.intake.domain import Dossier, Owner
from services.intake.errors import DocumentFileNotFound
from services.intake.handlers.writing import forget_blobs, write_for_owner
from shared.blobs import BlobNotFound, BlobTooLarge, StoredBlob
from shared.blobs.content_types import ContentInspector
from shared.documents import AttachedFile
from shared.errors import DomainError, DossierNotFound
from shared.holder.command_keys import answer_to
from shared.holder.write import Change, CommandResult, load_held
from shared.logging import get_logger
from shared.procedures import ProcedureDocument
from shared.statuses import Status

log = get_logger(__name__)


@dataclass(frozen=True)
class FileAttached:
    """The file as recorded, and the dossier's version that records it."""

    dossier_id: str
    version: int
    code: str
    file: AttachedFile


@dataclass(frozen=True)
class FileDownload:
    """A stored file's metadata and its bytes, as a stream of chunks."""

    file: AttachedFile
    chunks: AsyncIterator[bytes]


async def attach_file(
    intake: Intake, owner: Owner, dossier_id: str, code: str, filename: str, chunks: AsyncIterable[bytes],
    command_key: str | None = None,
) -> FileAttached:
    """Attach an upload to document `code`: checked first, streamed into the blob store, judged, recorded.

    Sent again under the same key, the file attached the first time is answered, and nothing is stored."""
    dossier = await load_held(intake.repository.of_owner(owner.id), dossier_id)
    first = answer_to(dossier.command_answers, command_key)
    if first is not None:
        log.info("command_key_answered_again", dossier_id=dossier_id)
        return _attached(first)
    # Before a byte is read: a refused upload costs nothing and leaves nothing.
    document = domain.check_can_attach(dossier, code, intake.catalog, intake.limits)
    room = domain.upload_room(dossier, intake.limits)
    inspector = ContentInspector(intake.limits.accepted_content_types)
    blob_id = intake.new_id()
    try:
        stored = await intake.blobs.put(blob_id, _watched(chunks, inspector), max_bytes=room)
    except BlobTooLarge:
        # The store kept nothing of an upload past its limit.
        raise domain.too_large(document, room, intake.limits) from None
    try:
        attached = await _record(intake, owner, dossier_id, code, filename, document, stored, inspector, command_key)
    except BaseException as failure:
        await _discard_upload(intake, dossier_id, blob_id, failure)
        raise
    if attached.file.id != blob_id:
        # The same upload, sent twice at once under one key: the other was recorded, this one's bytes are not.
        await forget_blobs(intake, dossier_id, [blob_id])
    return attached


async def remove_file(intake: Intake, owner: Owner, dossier_id: str, code: str, file_id: str,
                      command_key: str | None = None) -> CommandResult:
    """Take off a file not yet sent, then delete its bytes."""
    async def decide(dossier: Dossier) -> Change[Dossier]:
        removed, payload = domain.remove(dossier, code, file_id, intake.catalog, intake.clock())
        return Change(removed, [payload])

    written = await write_for_owner(intake, owner, dossier_id, decide, command_key)
    if written.changed:
        await forget_blobs(intake, dossier_id, [file_id])
    return written.result()


async def download_own_file(intake: Intake, owner: Owner, dossier_id: str, code: str, file_id: str) -> FileDownload:
    """One of the citizen's own files, sent or not."""
    dossier = await load_held(intake.repository.of_owner(owner.id), dossier_id)
    return await _download(intake, dossier, code, file_id, sent_only=False)


async def download_sent_file(intake: Intake, dossier_id: str, code: str, file_id: str) -> FileDownload:
    """A file as staff may read it: one that went out with the dossier; a draft is not theirs to see."""
    dossier = await load_held(intake.repository.of_any_owner(), dossier_id)
    if dossier.status is Status.DRAFT:
        raise DossierNotFound()
    return await _download(intake, dossier, code, file_id, sent_only=True)


async def _record(
    intake: Intake, owner: Owner, dossier_id: str, code: str, filename: str, document: ProcedureDocument,
    stored: StoredBlob, inspector: ContentInspector, command_key: str | None,
) -> FileAttached:
    file_format = domain.judge_content(document, stored.size, inspector, intake.limits)
    file = AttachedFile(id=stored.id, filename=domain.clean_filename(filename),
                        content_type=file_format.content_type, size=stored.size, sha256=stored.sha256,
                        uploaded_at=intake.clock())

    # Decided again on the dossier as stored now: it may have been sent, or filled by another upload, meanwhile.
    async def decide(dossier: Dossier) -> Change[Dossier]:
        attached, payload = domain.attach(dossier, code, file, intake.catalog, intake.limits, intake.clock())
        return Change(attached, [payload])

    def outcome(dossier: Dossier) -> dict[str, Any]:
        return {"dossier_id": dossier.id, "version": dossier.version, "code": code,
                "file": file.model_dump(mode="json")}

    written = await write_for_owner(intake, owner, dossier_id, decide, command_key, outcome)
    return FileAttached(written.record.id, written.record.version, code, file) if written.answer is None \
        else _attached(written.answer)


def _attached(answer: Mapping[str, Any]) -> FileAttached:
    return FileAttached(answer["dossier_id"], answer["version"], answer["code"],
                        AttachedFile.model_validate(answer["file"]))


async def _discard_upload(intake: Intake, dossier_id: str, blob_id: str, failure: BaseException) -> None:
    """Delete the bytes of an upload that was not recorded, so that a refusal or a failure leaves nothing."""
    if not isinstance(failure, DomainError):
        # A store error or a cancellation can come after the write went through: never delete what it records.
        try:
            stored = await intake.repository.get_any(dossier_id)
        except Exception:
            log.exception("blob_left_behind", dossier_id=dossier_id, blob_id=blob_id)
            return
        if stored is not None and any(attached.file.id == blob_id for attached in stored.files):
            return
    log.info("upload_discarded", dossier_id=dossier_id, blob_id=blob_id,
             reason=failure.code if isinstance(failure, DomainError) else type(failure).__name__)
    await forget_blobs(intake, dossier_id, [blob_id])


async def _download(intake: Intake, dossier: Dossier, code: str, file_id: str, *, sent_only: bool) -> FileDownload:
    found = domain.find_file(dossier, code, file_id, intake.catalog, sent_only=sent_only)
    chunks = intake.blobs.read(found.file.id)
    try:
        # The first chunk now, so that missing bytes are refused before an answer has started.
        first = await anext(chunks, b"")
    except BlobNotFound:
        log.error("blob_missing", dossier_id=dossier.id, blob_id=found.file.id)
        raise DocumentFileNotFound(domain.document_name(dossier, code, intake.catalog)) from None
    return FileDownload(found.file, _starting_with(first, chunks))


async def _watched(chunks: AsyncIterable[bytes], inspector: ContentInspector) -> AsyncIterator[bytes]:
    """The upload's chunks, shown to the inspector on their way to the store (it keeps only head and tail)."""
    async for chunk in chunks:
        inspector.observe(chunk)
        yield chunk


async def _starting_with(first: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    if first:
        yield first
    async for chunk in rest:
        yield chunk

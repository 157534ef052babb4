"""What the citizen asks of a dossier processing holds (the gateway has authenticated them): withdraw it,
choose how to receive the result, download the result. A dossier that is not theirs is not found."""

from dataclasses import dataclass

from services.processing import reception, resolution
from services.processing.domain import Change, Delivery, Dossier
from services.processing.handlers import CommandResult, Processing, change_dossier
from shared.messages import Actor


@dataclass(frozen=True)
class DownloadedResult:
    filename: str
    content_type: str
    content: bytes
    version: int  # the dossier's, after this download (the first one returns the result)


class StoredDocumentMissing(RuntimeError):
    """A dossier refers to a result document the store no longer has: an operator must look."""


async def withdraw_dossier(processing: Processing, owner_id: str, dossier_id: str) -> CommandResult:
    """Take back a submission not yet received (rút hồ sơ): intake holds it again, as a draft."""

    async def decide(dossier: Dossier) -> Change:
        return reception.withdraw(dossier, processing.clock())

    return CommandResult.of(await change_dossier(
        processing, dossier_id, decide, actor=Actor(kind="citizen", id=owner_id), owner_id=owner_id))


async def choose_result_delivery(
    processing: Processing, owner_id: str, dossier_id: str, delivery: Delivery,
) -> CommandResult:
    async def decide(dossier: Dossier) -> Change | None:
        return resolution.choose_delivery(dossier, delivery, processing.clock())

    return CommandResult.of(await change_dossier(
        processing, dossier_id, decide, actor=Actor(kind="citizen", id=owner_id), owner_id=owner_id))


async def download_result(processing: Processing, owner_id: str, dossier_id: str) -> DownloadedResult:
    """The result document's bytes; the first download returns the result (đã trả kết quả) online."""
    document = resolution.ensure_downloadable(await processing.load(dossier_id, owner_id))
    content = await processing.documents.content(document.id)
    if content is None:
        raise StoredDocumentMissing(f"dossier {dossier_id} refers to missing document {document.id}")

    async def decide(dossier: Dossier) -> Change | None:
        return resolution.return_online(dossier, processing.clock())

    dossier = await change_dossier(processing, dossier_id, decide, actor=Actor(kind="citizen", id=owner_id),
                                   owner_id=owner_id)
    return DownloadedResult(document.filename, document.content_type, content, dossier.version)

"""What the citizen asks of a dossier processing holds (the gateway has authenticated them): withdraw it,
choose how to receive the result, download the result, rate the service. A dossier that is not theirs is
not found."""

from collections.abc import AsyncIterator
from dataclasses import dataclass

from services.processing.dependencies import PRODUCER, Processing
from services.processing.domain import rating, reception, resolution
from services.processing.domain.dossier import Delivery, Dossier
from services.processing.handlers import result_documents
from shared.holder.write import Change, CommandResult, Decide, Written, load_held, write_change
from shared.lifecycle import ResultDocument
from shared.messages import Actor


@dataclass(frozen=True)
class DownloadedResult:
    """The result document's metadata, and its bytes as a stream the answer is sent from."""

    document: ResultDocument
    chunks: AsyncIterator[bytes]
    version: int  # the dossier's, after this download (the first one returns the result)


async def withdraw_dossier(processing: Processing, owner_id: str, dossier_id: str,
                           command_key: str | None = None) -> CommandResult:
    """Take back a submission not yet received (rút hồ sơ): intake holds it again, as a draft."""

    async def decide(dossier: Dossier) -> Change[Dossier]:
        return reception.withdraw(dossier, processing.clock())

    return (await _change(processing, owner_id, dossier_id, decide, command_key)).result()


async def choose_result_delivery(
    processing: Processing, owner_id: str, dossier_id: str, delivery: Delivery, command_key: str | None = None,
) -> CommandResult:
    async def decide(dossier: Dossier) -> Change[Dossier] | None:
        return resolution.choose_delivery(dossier, delivery, processing.clock())

    return (await _change(processing, owner_id, dossier_id, decide, command_key)).result()


async def download_result(processing: Processing, owner_id: str, dossier_id: str) -> DownloadedResult:
    """The result document's bytes; the first download returns the result (đã trả kết quả) online."""
    document = resolution.ensure_downloadable(await load_held(processing.dossiers, dossier_id, owner_id))
    chunks = await result_documents.read(processing, dossier_id, document)

    async def decide(dossier: Dossier) -> Change[Dossier] | None:
        return resolution.return_online(dossier, processing.clock())

    dossier = (await _change(processing, owner_id, dossier_id, decide)).record
    return DownloadedResult(document, chunks, dossier.version)


async def rate_service(processing: Processing, owner_id: str, dossier_id: str,
                       asked: rating.RatingAsked, command_key: str | None = None) -> CommandResult:
    """Rate the service once the result is returned (đánh giá mức độ hài lòng); a retry of the same rating
    answers as the first did. Concurrent ratings are decided one after the other by the write path."""

    async def decide(dossier: Dossier) -> Change[Dossier] | None:
        return rating.rate(dossier, asked, processing.clock())

    return (await _change(processing, owner_id, dossier_id, decide, command_key)).result()


async def _change(processing: Processing, owner_id: str, dossier_id: str, decide: Decide[Dossier],
                  command_key: str | None = None) -> Written[Dossier]:
    """The citizen's own dossier once the decision is stored: the change is theirs; under a key, made once."""
    return await write_change(processing.dossiers, dossier_id, decide, producer=PRODUCER,
                              actor=Actor(kind="citizen", id=owner_id), owner_id=owner_id,
                              published=processing.published, command_key=command_key)

"""The internal routes of the dossier's component documents (thành phần hồ sơ) and their files.

An upload is the file's raw bytes as the request body, read chunk by chunk into the blob store, never
whole; a download streams the stored bytes back, typed by what they were found to be.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import StreamingResponse

from services.intake import handlers
from services.intake.dependencies import Intake
from services.intake.domain import Owner
from shared.documents import AttachedFile
from shared.errors import InvalidFields
from shared.holder.write import CommandResult
from shared.http_command_keys import CommandKey
from shared.http_files import attachment_headers

OwnerId = Annotated[str, Query(min_length=1, max_length=200)]


class AttachedFileOut(AttachedFile):
    """The file as recorded, with its document and the dossier's version that records it."""

    code: str
    dossier_id: str
    version: int


def documents_router(intake: Intake) -> APIRouter:
    router = APIRouter(prefix="/dossiers/{dossier_id}/documents/{code}", tags=["intake"])

    @router.post("", status_code=status.HTTP_201_CREATED)
    async def attach(
        dossier_id: str, code: str, request: Request, owner_id: OwnerId,
        filename: Annotated[str, Query(max_length=1024)] = "", key: CommandKey = None,
    ) -> AttachedFileOut:
        attached = await handlers.attach_file(intake, Owner(owner_id, None), dossier_id, code, filename,
                                              request.stream(), key)
        return AttachedFileOut(**attached.file.model_dump(), code=attached.code, dossier_id=attached.dossier_id,
                               version=attached.version)

    @router.delete("/{file_id}")
    async def remove(dossier_id: str, code: str, file_id: str, owner_id: OwnerId,
                     key: CommandKey = None) -> CommandResult:
        return await handlers.remove_file(intake, Owner(owner_id, None), dossier_id, code, file_id, key)

    @router.get("/{file_id}")
    async def download(
        dossier_id: str, code: str, file_id: str,
        owner_id: Annotated[str | None, Query(min_length=1, max_length=200)] = None, for_staff: bool = False,
    ) -> StreamingResponse:
        # The owner reads any of their files; staff only those sent. One of the two, never both, never neither.
        if for_staff == (owner_id is not None):
            raise InvalidFields({"owner_id": "Cần đúng một trong hai: owner_id (người nộp) hoặc for_staff=true."})
        if owner_id is not None:
            found = await handlers.download_own_file(intake, Owner(owner_id, None), dossier_id, code, file_id)
        else:
            found = await handlers.download_sent_file(intake, dossier_id, code, file_id)
        headers = attachment_headers(found.file.filename, found.file.content_type, found.file.size)
        return StreamingResponse(found.chunks, media_type=headers.pop("Content-Type"), headers=headers)

    return router

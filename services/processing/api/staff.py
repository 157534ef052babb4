"""The staff door over internal HTTP: the gateway calls it after checking that the caller is staff."""

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from pydantic import BaseModel, Field

from services.processing.dependencies import Processing
from services.processing.handlers import staff_actions
from services.processing.handlers.result_documents import ResultUpload
from services.processing.handlers.staff_commands import apply_staff_action
from shared.blobs.port import CHUNK_BYTES
from shared.holder.staff_commands import parse_staff_action
from shared.holder.write import CommandResult
from shared.http_command_keys import CommandKey
from shared.messages import Actor
from shared.staff_actions import applied_by
from shared.statuses import Holder


class StaffActionIn(BaseModel):
    """Who acts, and the fields of the action: `reason` (reject, request-supplement; request-payment, where an
    additional fee on a dossier paid before needs it), `documents` (the codes of the procedure's documents a
    supplement asks for), `method` (mark-returned), `new_due_date` (reschedule, with a reason), `items`
    (request-payment; without them, the procedure's fee items, while nothing has been paid)."""

    actor_id: str = Field(min_length=1, max_length=200)
    actor_name: str | None = Field(default=None, min_length=1, max_length=200)
    reason: str | None = None
    documents: list[Any] | None = None
    method: str | None = None
    tracking_number: str | None = None
    items: list[dict[str, Any]] | None = None
    new_due_date: str | None = None


def staff_router(processing: Processing) -> APIRouter:
    router = APIRouter(prefix="/dossiers/{dossier_id}/actions", tags=["staff"])
    actions = applied_by(Holder.PROCESSING)

    @router.post("/issue-result")
    async def issue_result(
        dossier_id: str,
        actor_id: Annotated[str, Form(min_length=1, max_length=200)],
        summary: Annotated[str, Form(min_length=1, max_length=2000)],
        document: Annotated[UploadFile | None, File()] = None,
        actor_name: Annotated[str | None, Form(min_length=1, max_length=200)] = None,
        key: CommandKey = None,
    ) -> CommandResult:
        upload = await _upload(document) if document else None
        return await staff_actions.issue_result(processing, dossier_id, _staff(actor_id, actor_name), summary,
                                                upload, command_key=key)

    @router.post("/{action}")
    async def act(dossier_id: str, action: str, body: StaffActionIn, key: CommandKey = None) -> CommandResult:
        # Read as the bus door reads it, so that both refuse the same content the same way.
        payload = parse_staff_action(action, body.model_dump(exclude={"actor_id", "actor_name"}, exclude_none=True),
                                     actions)
        return await apply_staff_action(processing, dossier_id, payload, _staff(body.actor_id, body.actor_name),
                                        command_key=key)

    return router


def _staff(actor_id: str, actor_name: str | None) -> Actor:
    return Actor(kind="staff", id=actor_id, name=actor_name)


async def _upload(file: UploadFile) -> ResultUpload | None:
    """The uploaded file as a stream of chunks; None for a form's file field left empty (no name, no bytes).

    The limit and the content check apply as the chunks reach the blob store; the declared content type is
    not used, the stored one is what the bytes show.
    """
    first = await file.read(CHUNK_BYTES)
    if not first and not file.filename:
        return None
    return ResultUpload.named(file.filename, _chunks(file, first))


async def _chunks(file: UploadFile, first: bytes) -> AsyncIterator[bytes]:
    """The file in chunks, never whole: the form parser spooled it to disk past its first megabyte."""
    yield first
    while chunk := await file.read(CHUNK_BYTES):
        yield chunk

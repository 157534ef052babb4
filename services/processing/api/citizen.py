"""The citizen door over internal HTTP: the gateway has authenticated the citizen and passes `owner_id`."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from services.processing.dependencies import Processing
from services.processing.domain.dossier import Delivery
from services.processing.domain.rating import RatingAsked
from services.processing.handlers.citizen_actions import (
    choose_result_delivery,
    download_result,
    rate_service,
    withdraw_dossier,
)
from shared.holder.write import CommandResult
from shared.http_command_keys import CommandKey
from shared.http_files import attachment_headers
from shared.lifecycle import RATING_COMMENT_MAX, DeliveryMethod, RatingLevel

OwnerId = Annotated[str, Field(min_length=1, max_length=200)]


class OwnerIn(BaseModel):
    owner_id: OwnerId


class ResultDeliveryIn(OwnerIn):
    method: DeliveryMethod
    postal_address: str | None = Field(default=None, max_length=500)


class RatingIn(OwnerIn):
    level: RatingLevel
    comment: str | None = Field(default=None, max_length=RATING_COMMENT_MAX)


def citizen_router(processing: Processing) -> APIRouter:
    router = APIRouter(prefix="/dossiers/{dossier_id}", tags=["citizen"])

    @router.post("/withdraw")
    async def withdraw(dossier_id: str, body: OwnerIn, key: CommandKey = None) -> CommandResult:
        return await withdraw_dossier(processing, body.owner_id, dossier_id, key)

    @router.put("/result-delivery")
    async def choose_delivery(dossier_id: str, body: ResultDeliveryIn, key: CommandKey = None) -> CommandResult:
        delivery = Delivery(body.method, body.postal_address)
        return await choose_result_delivery(processing, body.owner_id, dossier_id, delivery, key)

    @router.put("/rating")
    async def rate(dossier_id: str, body: RatingIn, key: CommandKey = None) -> CommandResult:
        return await rate_service(processing, body.owner_id, dossier_id, RatingAsked(body.level, body.comment), key)

    @router.get("/result", response_class=StreamingResponse,
                responses={200: {"content": {"application/octet-stream": {}}}})
    async def result(
        dossier_id: str, owner_id: Annotated[str, Query(min_length=1, max_length=200)],
    ) -> StreamingResponse:
        downloaded = await download_result(processing, owner_id, dossier_id)
        document = downloaded.document
        # Streamed from the blob store chunk by chunk: a large result is never held whole in memory.
        headers = attachment_headers(document.filename, document.content_type, document.size_bytes)
        # The gateway waits for the read model to hold this version: the caller reads the return.
        headers["X-Dossier-Version"] = str(downloaded.version)
        return StreamingResponse(downloaded.chunks, media_type=headers.pop("Content-Type"), headers=headers)

    return router


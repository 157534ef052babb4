"""The internal routes of the dossier itself: start, edit, delete, send."""

from typing import Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from services.intake import handlers
from services.intake.dependencies import Intake
from services.intake.domain import Owner
from shared.holder.write import CommandResult
from shared.messages import DraftContent


class OwnerIn(BaseModel):
    owner_id: str = Field(min_length=1, max_length=200)
    owner_email: str | None = None
    owner_phone: str | None = Field(default=None, max_length=32)

    def owner(self) -> Owner:
        return Owner(self.owner_id, self.owner_email, self.owner_phone)


class CreateDraftIn(OwnerIn):
    content: DraftContent


class EditDossierIn(OwnerIn):
    changes: dict[str, Any]
    expected_version: int = Field(ge=1)


def dossiers_router(intake: Intake) -> APIRouter:
    router = APIRouter(prefix="/dossiers", tags=["intake"])

    @router.post("", status_code=status.HTTP_201_CREATED)
    async def create(body: CreateDraftIn) -> CommandResult:
        return await handlers.create_draft(intake, body.owner(), body.content)

    @router.patch("/{dossier_id}")
    async def edit(dossier_id: str, body: EditDossierIn) -> CommandResult:
        return await handlers.edit_dossier(intake, body.owner(), dossier_id, body.changes,
                                           body.expected_version)

    @router.delete("/{dossier_id}")
    async def delete(
        dossier_id: str, owner_id: str, expected_version: int | None = Query(default=None, ge=1),
    ) -> CommandResult:
        return await handlers.delete_draft(intake, Owner(owner_id, None), dossier_id, expected_version)

    @router.post("/{dossier_id}/submit")
    async def submit(dossier_id: str, body: OwnerIn) -> CommandResult:
        return await handlers.submit_dossier(intake, body.owner(), dossier_id)

    return router

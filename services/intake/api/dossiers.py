"""The internal routes of the dossier itself: start, edit, delete, send.

Every command takes the `Idempotency-Key` the gateway passes on (the caller's key, scoped): sent again
under it, a command answers its first outcome (shared/holder/command_keys.py).
"""

from typing import Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from services.intake import handlers
from services.intake.dependencies import Intake
from services.intake.domain import Owner
from shared.holder.write import CommandResult
from shared.http_command_keys import CommandKey
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
    async def create(body: CreateDraftIn, key: CommandKey = None) -> CommandResult:
        return await handlers.create_draft(intake, body.owner(), body.content, key)

    @router.patch("/{dossier_id}")
    async def edit(dossier_id: str, body: EditDossierIn, key: CommandKey = None) -> CommandResult:
        return await handlers.edit_dossier(intake, body.owner(), dossier_id, body.changes,
                                           body.expected_version, key)

    @router.delete("/{dossier_id}")
    async def delete(
        dossier_id: str, owner_id: str, expected_version: int | None = Query(default=None, ge=1),
        key: CommandKey = None,
    ) -> CommandResult:
        return await handlers.delete_draft(intake, Owner(owner_id, None), dossier_id, expected_version, key)

    @router.post("/{dossier_id}/submit")
    async def submit(dossier_id: str, body: OwnerIn, key: CommandKey = None) -> CommandResult:
        return await handlers.submit_dossier(intake, body.owner(), dossier_id, key)

    return router

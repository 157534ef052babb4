"""The staff door over internal HTTP: the gateway calls it after checking that the caller is staff."""

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.payment.dependencies import Payments
from services.payment.handlers.staff_confirmation import apply_staff_action
from shared.holder.staff_commands import parse_staff_action
from shared.holder.write import CommandResult
from shared.http_command_keys import CommandKey
from shared.messages import Actor
from shared.staff_actions import applied_by
from shared.statuses import Holder


class StaffActionIn(BaseModel):
    """Who acts, and the fields of the action: `method` and `receipt_number` (confirm-payment)."""

    actor_id: str = Field(min_length=1, max_length=200)
    actor_name: str | None = Field(default=None, min_length=1, max_length=200)  # the history names the officer
    method: str | None = None
    receipt_number: str | None = None


def staff_router(payments: Payments) -> APIRouter:
    router = APIRouter(prefix="/dossiers/{dossier_id}/actions", tags=["staff"])
    actions = applied_by(Holder.PAYMENT)

    @router.post("/{action}")
    async def act(dossier_id: str, action: str, body: StaffActionIn, key: CommandKey = None) -> CommandResult:
        # Read as the bus door reads it, so that both refuse the same content the same way.
        payload = parse_staff_action(action, body.model_dump(exclude={"actor_id", "actor_name"}, exclude_none=True),
                                     actions)
        actor = Actor(kind="staff", id=body.actor_id, name=body.actor_name)
        return await apply_staff_action(payments, dossier_id, payload, actor, command_key=key)

    return router

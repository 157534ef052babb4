"""The staff door over internal HTTP: the gateway calls it after checking that the caller is staff."""

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.payment.handlers import CommandResult, Payments
from services.payment.staff_confirmation import confirm_payment
from shared.commands import PAYMENT_ACTIONS
from shared.messages import Actor
from shared.payments import ConfirmPayment
from shared.staff_commands import parse_staff_action


class StaffActionIn(BaseModel):
    """Who acts, and the fields of the action: `method` and `receipt_number` (confirm-payment)."""

    actor_id: str = Field(min_length=1, max_length=200)
    method: str | None = None
    receipt_number: str | None = None


def staff_router(payments: Payments) -> APIRouter:
    router = APIRouter(prefix="/dossiers/{dossier_id}/actions", tags=["staff"])

    @router.post("/{action}")
    async def act(dossier_id: str, action: str, body: StaffActionIn) -> CommandResult:
        # Read as the bus door reads it, so that both refuse the same content the same way.
        payload = parse_staff_action(action, body.model_dump(exclude={"actor_id"}, exclude_none=True),
                                     PAYMENT_ACTIONS)
        assert isinstance(payload, ConfirmPayment)  # payment's only staff action
        return await confirm_payment(payments, dossier_id, Actor(kind="staff", id=body.actor_id), payload.method,
                                     payload.receipt_number)

    return router

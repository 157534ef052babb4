"""The citizen door over internal HTTP: the gateway has authenticated the citizen and passes `owner_id`."""

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.payment.dependencies import Payments
from services.payment.handlers.citizen_payments import PaymentAnswer, pay_dossier
from shared.http_command_keys import CommandKey
from shared.payments import PaymentMethod


class PaymentIn(BaseModel):
    owner_id: str = Field(min_length=1, max_length=200)
    method: PaymentMethod
    # The citizen's address, which VNPay wants with every payment (vnp_IpAddr).
    client_ip: str = Field(default="127.0.0.1", min_length=1, max_length=45)


def citizen_router(payments: Payments) -> APIRouter:
    router = APIRouter(prefix="/dossiers/{dossier_id}", tags=["citizen"])

    @router.post("/payments")
    async def pay(dossier_id: str, body: PaymentIn, key: CommandKey = None) -> PaymentAnswer:
        return await pay_dossier(payments, body.owner_id, dossier_id, body.method, body.client_ip, key)

    return router

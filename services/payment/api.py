"""Payment's internal HTTP API: the citizen's and the staff's doors, providers' callbacks, the sandbox."""

from fastapi import APIRouter

from services.payment.callbacks_api import callbacks_router
from services.payment.citizen_api import citizen_router
from services.payment.handlers import Payments
from services.payment.sandbox_api import sandbox_router
from services.payment.staff_api import staff_router


def payment_router(payments: Payments) -> APIRouter:
    router = APIRouter()
    for door in (citizen_router, staff_router, callbacks_router, sandbox_router):
        router.include_router(door(payments))
    return router

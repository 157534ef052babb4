"""Payment's internal HTTP API: the citizen's and the staff's doors, providers' callbacks, the sandbox."""

from fastapi import APIRouter

from services.payment.api.callbacks import callbacks_router
from services.payment.api.citizen import citizen_router
from services.payment.api.sandbox import sandbox_router
from services.payment.api.staff import staff_router
from services.payment.dependencies import Payments


def payment_router(payments: Payments) -> APIRouter:
    router = APIRouter()
    for door in (citizen_router, staff_router, callbacks_router, sandbox_router):
        router.include_router(door(payments))
    return router

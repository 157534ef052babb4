"""Processing's internal HTTP API: the staff door and the citizen door, both behind the gateway."""

from fastapi import APIRouter

from services.processing.citizen_api import citizen_router
from services.processing.handlers import Processing
from services.processing.staff_api import staff_router


def processing_router(processing: Processing) -> APIRouter:
    router = APIRouter()
    router.include_router(staff_router(processing))
    router.include_router(citizen_router(processing))
    return router

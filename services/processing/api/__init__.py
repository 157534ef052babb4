"""Processing's internal HTTP API: the staff door and the citizen door, both behind the gateway."""

from fastapi import APIRouter

from services.processing.api.citizen import citizen_router
from services.processing.api.staff import staff_router
from services.processing.dependencies import Processing


def processing_router(processing: Processing) -> APIRouter:
    router = APIRouter()
    router.include_router(staff_router(processing))
    router.include_router(citizen_router(processing))
    return router

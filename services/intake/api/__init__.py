"""Intake's internal HTTP API: the gateway's door for citizen commands (it has already authenticated).

The gateway passes the citizen's account (`owner_id`, from the token) with every call, or says that staff
are asking (`for_staff`); intake trusts it, and finds a dossier only among that owner's. Query and slips
read a dossier's content here (`content`): the events carry no applicant.
"""

from fastapi import APIRouter

from services.intake.api.content import content_router
from services.intake.api.documents import documents_router
from services.intake.api.dossiers import dossiers_router
from services.intake.dependencies import Intake


def intake_router(intake: Intake) -> APIRouter:
    router = APIRouter()
    router.include_router(dossiers_router(intake))
    router.include_router(documents_router(intake))
    router.include_router(content_router(intake))
    return router

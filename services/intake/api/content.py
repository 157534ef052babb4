"""The internal route that answers a dossier's content to the services that show or print the applicant.

The events carry no applicant and no form (shared/dossier_content.py says why): query and slips ask here.
Only inside the cluster, like every internal route; the gateway never passes it on.
"""

from fastapi import APIRouter

from services.intake.dependencies import Intake
from shared.dossier_content import CONTENT_PATH, DossierContentAnswer
from shared.errors import DossierNotFound


def content_router(intake: Intake) -> APIRouter:
    router = APIRouter(tags=["intake"])

    @router.get(CONTENT_PATH)
    async def content(dossier_id: str) -> DossierContentAnswer:
        dossier = await intake.repository.get_any(dossier_id)
        if dossier is None:  # unknown, or a draft deleted since the event that made the caller ask
            raise DossierNotFound()
        return DossierContentAnswer(dossier_id=dossier.id, version=dossier.version, content=dossier.content)

    return router

"""The internal routes that answer what the events leave out: a dossier's content, to the services that show
or print the applicant (query, slips), and its owner's registered contacts, to notify (for many dossiers in
one question: notify's handlers ask together).

The events carry no applicant, no form and no address or phone of the account (shared/dossier_content.py
says why): those services ask here. Only inside the cluster, like every internal route; the gateway never
passes them on.
"""

from fastapi import APIRouter

from services.intake.dependencies import Intake
from shared.dossier_content import (
    CONTACTS_PATH,
    CONTENT_PATH,
    ContactsAnswered,
    ContactsAsked,
    DossierContactsAnswer,
    DossierContentAnswer,
)
from shared.errors import DossierNotFound


def content_router(intake: Intake) -> APIRouter:
    router = APIRouter(tags=["intake"])

    @router.get(CONTENT_PATH)
    async def content(dossier_id: str) -> DossierContentAnswer:
        dossier = await intake.repository.get_any(dossier_id)
        if dossier is None:  # unknown, or a draft deleted since the event that made the caller ask
            raise DossierNotFound()
        return DossierContentAnswer(dossier_id=dossier.id, version=dossier.version, content=dossier.content)

    @router.post(CONTACTS_PATH)
    async def contacts(asked: ContactsAsked) -> ContactsAnswered:
        """Where notify sends the mail and the SMS of those dossiers' steps: each account's, from its token."""
        owners = await intake.repository.owners_of(asked.dossier_ids)
        return ContactsAnswered(contacts={
            dossier_id: DossierContactsAnswer(owner_email=owner.email, owner_phone=owner.phone)
            for dossier_id, owner in owners.items()})

    return router

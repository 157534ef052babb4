"""Wire intake: repository, handlers, outbox relay and internal API, on whatever bus and store it is given."""

from fastapi import APIRouter

from services.intake.api import intake_router
from services.intake.handlers import Intake, when_dossier_handed_back_take_it_back
from services.intake.repository import DossierRepository
from services.intake.settings import IntakeSettings
from shared.messages import Envelope
from shared.messaging.port import Bus
from shared.outbox import OutboxRelay
from shared.procedures import load_catalog
from shared.runtime import Consumer, Service
from shared.store.port import DocumentStore
from shared.versions import version_router

# The events by which processing gives a dossier back to the citizen (rút hồ sơ, yêu cầu bổ sung).
HANDED_BACK = ("dossier.withdrawn", "dossier.supplement_requested")


def bootstrap(settings: IntakeSettings, bus: Bus, store: DocumentStore) -> Service:
    repository = DossierRepository(store.db)
    relay = OutboxRelay(repository.collection, bus, service="intake", poll_seconds=settings.outbox_poll_seconds)
    intake = Intake(repository=repository, catalog=load_catalog(), published=relay.notify)

    async def on_handed_back(event: Envelope) -> None:
        await when_dossier_handed_back_take_it_back(intake, event)

    router = APIRouter()
    router.include_router(intake_router(intake))
    router.include_router(version_router(repository.current_version))
    return Service(
        name="intake", bus=bus, store=store, router=router,
        consumers=[Consumer("intake", HANDED_BACK, on_handed_back)],
        outboxes=[relay], on_start=[repository.ensure_indexes],
    )

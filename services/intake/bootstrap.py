"""Wire intake: repository, handlers, outbox relay and internal API, on whatever bus and store it is given."""

from services.intake.api import intake_router
from services.intake.handlers import Intake
from services.intake.repository import DossierRepository
from services.intake.settings import IntakeSettings
from shared.messaging.port import Bus
from shared.outbox import OutboxRelay
from shared.procedures import load_catalog
from shared.runtime import Service
from shared.store.port import DocumentStore


def bootstrap(settings: IntakeSettings, bus: Bus, store: DocumentStore) -> Service:
    repository = DossierRepository(store.db)
    relay = OutboxRelay(repository.collection, bus, poll_seconds=settings.outbox_poll_seconds)
    intake = Intake(repository=repository, catalog=load_catalog(), published=relay.notify)
    return Service(
        name="intake", bus=bus, store=store, router=intake_router(intake),
        background=[relay.run], on_start=[repository.ensure_indexes],
    )

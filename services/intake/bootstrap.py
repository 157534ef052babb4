"""Wire intake: repository, blob store, handlers, outbox relay, internal API and consumer, on the bus and store
it is given."""

from fastapi import APIRouter

from services.intake.adapters import DossierRepository
from services.intake.api import intake_router
from services.intake.consumers import hand_backs_consumer
from services.intake.dependencies import Intake
from services.intake.domain import DocumentLimits
from services.intake.settings import IntakeSettings
from shared.blobs import BlobStore, open_blob_store
from shared.messaging.port import Bus
from shared.outbox import OutboxRelay
from shared.procedures import load_catalog
from shared.runtime import Service
from shared.store.port import DocumentStore
from shared.versions import version_router


def bootstrap(settings: IntakeSettings, bus: Bus, store: DocumentStore, *, blobs: BlobStore | None = None) -> Service:
    """Intake on `bus` and `store`; its files' bytes in `blobs`, or where the settings say (beside the store)."""
    repository = DossierRepository(store.db)
    relay = OutboxRelay(repository.collection, bus, service="intake", poll_seconds=settings.outbox_poll_seconds)
    if blobs is None:
        blobs = open_blob_store(settings, "intake", store)
    intake = Intake(repository=repository, blobs=blobs,
                    catalog=load_catalog(), limits=document_limits(settings), published=relay.notify,
                    hand_back_wait_seconds=settings.hand_back_wait_seconds)

    router = APIRouter()
    router.include_router(intake_router(intake))
    router.include_router(version_router(repository.current_version))
    return Service(
        name="intake", bus=bus, store=store, router=router, consumers=[hand_backs_consumer(intake)],
        outboxes=[relay], on_start=[repository.ensure_indexes],
    )


def document_limits(settings: IntakeSettings) -> DocumentLimits:
    return DocumentLimits(max_file_bytes=settings.max_file_bytes, max_dossier_bytes=settings.max_dossier_bytes,
                          max_files=settings.max_files_per_dossier,
                          accepted_content_types=tuple(settings.accepted_content_types))

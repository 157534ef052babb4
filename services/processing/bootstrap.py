"""Wire processing: repositories, blob store, handlers, consumers, outbox relays and internal API, on the bus
and store it is given (the tests call this too, with the in-process bus and the in-memory store)."""

from collections.abc import Callable
from datetime import datetime

from services.processing.adapters.legacy_documents import LegacyResultDocuments
from services.processing.adapters.lookup_codes import LookupCodeCounter
from services.processing.adapters.repository import DossierRepository
from services.processing.api import processing_router
from services.processing.consumers import commands_consumer, hand_overs_consumer
from services.processing.dependencies import Processing
from services.processing.settings import ProcessingSettings
from services.processing.workers import DeadlineWatch
from shared.blobs import BlobStore, open_blob_store
from shared.holder.staff_commands import CommandOutcomes
from shared.messages import utc_now
from shared.messaging.port import Bus
from shared.office import load_office
from shared.outbox import OutboxRelay
from shared.procedures import load_catalog
from shared.runtime import Service
from shared.store.port import DocumentStore
from shared.timezones import local_zone
from shared.versions import version_router
from shared.working_calendar import load_calendar


def bootstrap(
    settings: ProcessingSettings, bus: Bus, store: DocumentStore, *, blobs: BlobStore | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> Service:
    """Processing on `bus` and `store`; its result documents' bytes in `blobs`, or where the settings say
    (GridFS beside the store on MongoDB, files beside the journal, else memory)."""
    dossiers = DossierRepository(store.db)
    if blobs is None:
        blobs = open_blob_store(settings, "processing", store)
    legacy_documents = LegacyResultDocuments(store.db, blobs)
    outcomes = CommandOutcomes(store.db)
    # Two relays: a completed change's events ride in the dossier, a refusal's in its own document.
    dossier_relay, outcome_relay = (
        OutboxRelay(collection, bus, service="processing", poll_seconds=settings.outbox_poll_seconds)
        for collection in (dossiers.collection, outcomes.collection))
    processing = Processing(
        dossiers=dossiers, blobs=blobs, catalog=load_catalog(),
        calendar=load_calendar(settings.working_calendar_file),
        next_lookup_code=LookupCodeCounter(store.db, settings.agency_code).next_code,
        zone=local_zone(settings.timezone), max_document_bytes=settings.max_document_bytes,
        accepted_result_types=tuple(settings.accepted_result_types),
        payment_days=load_office(settings.office_file).payment_days, published=dossier_relay.notify, clock=clock,
        due_soon_working_days=settings.due_soon_working_days,
    )
    deadline_watch = DeadlineWatch(processing, at=settings.deadline_watch_at,
                                   poll_seconds=settings.deadline_poll_seconds)
    router = processing_router(processing)
    router.include_router(version_router(dossiers.current_version))
    return Service(
        name="processing", bus=bus, store=store, router=router,
        consumers=[hand_overs_consumer(processing),
                   commands_consumer(processing, outcomes, outcome_relay.notify)],
        outboxes=[dossier_relay, outcome_relay], workers=[deadline_watch],
        on_start=[dossiers.ensure_indexes, outcomes.ensure_indexes, legacy_documents.move_to_blob_store],
    )

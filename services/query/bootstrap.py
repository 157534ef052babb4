"""Wire the query service: repository, notifier, consumer, intake's content API and the internal API, on the
bus and store given."""

from collections.abc import Callable
from datetime import datetime, timedelta

from services.query.adapters.notification_log import NotificationLog
from services.query.adapters.notifier import AppliedNotifier
from services.query.adapters.ratings import RatingsGiven
from services.query.adapters.read_model import ReadModelRepository
from services.query.adapters.slip_log import SlipLog
from services.query.adapters.statistics import DossiersReceived
from services.query.api import query_router
from services.query.consumers import dossier_events_consumer, notification_reports_consumer, slip_announcements_consumer
from services.query.dependencies import Query
from services.query.domain.countdown import Countdown
from services.query.domain.projection import ProcedureNames
from services.query.domain.views import ProcedureDocuments
from services.query.settings import QuerySettings
from services.query.workers import GapWatch
from shared.dossier_content import ContentSource, IntakeContents
from shared.messages import utc_now
from shared.messaging.port import Bus
from shared.procedures import ProcedureCatalog, load_catalog
from shared.runtime import Service
from shared.store.port import DocumentStore
from shared.timezones import local_zone
from shared.working_calendar import load_calendar


def bootstrap(settings: QuerySettings, bus: Bus, store: DocumentStore, *,
              contents: ContentSource | None = None) -> Service:
    """Query on `bus` and `store`; the applicants and forms from `contents`, or intake's API at INTAKE_URL."""
    zone = local_zone(settings.timezone)
    contents = contents or IntakeContents(base_url=settings.intake_url, wait_seconds=settings.intake_wait_seconds)
    catalog = load_catalog()
    query = Query(read_model=ReadModelRepository(store.db, procedure_names(catalog), zone),
                  notifier=AppliedNotifier(), notifications=NotificationLog(store.db), slips=SlipLog(store.db),
                  settings=settings, zone=zone, procedure_documents=procedure_documents(catalog),
                  countdown=Countdown(load_calendar(settings.working_calendar_file),
                                      settings.due_soon_working_days),
                  ratings=RatingsGiven(store.db), received=DossiersReceived(store.db), contents=contents,
                  clock=looking_ahead(settings.dev_days_ahead))
    gap_watch = GapWatch(query.read_model, bound_seconds=settings.gap_report_seconds)
    return Service(
        name="query", bus=bus, store=store, router=query_router(query),
        consumers=[dossier_events_consumer(query), notification_reports_consumer(query),
                   slip_announcements_consumer(query)],
        workers=[gap_watch], details=[gap_watch.details],
        on_start=[query.read_model.ensure_indexes, query.notifications.ensure_indexes, query.slips.ensure_indexes,
                  query.ratings.ensure_indexes, query.received.ensure_indexes],
    )


def looking_ahead(days: int) -> Callable[[], datetime]:
    """The real time, or (a development run's DEV_DAYS_AHEAD) that many days later: the countdown, the deadline
    lists and the statistics then stand where they will on that day, so a dossier can be seen falling due."""
    if not days:
        return utc_now
    return lambda: utc_now() + timedelta(days=days)


def procedure_names(catalog: ProcedureCatalog) -> ProcedureNames:
    """A procedure's name by code; None for a code the catalog no longer has."""
    return lambda code: catalog.get(code).name if code in catalog else None


def procedure_documents(catalog: ProcedureCatalog) -> ProcedureDocuments:
    """A procedure's component documents by code, in catalog order; none for a code the catalog no longer has."""
    return lambda code: catalog.get(code).documents if code in catalog else ()

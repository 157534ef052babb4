"""Duplicated and shuffled events, property-based: whatever order a dossier's whole history arrives in,
with whatever duplicates (its ten versioned events, payment's among them, and notify's reports), the
query service's read model ends equal to the history folded in order. No broker: the reactions the
consumer calls, the projection and the parking of early events, on the in-memory store."""

import asyncio
from typing import Any
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from services.query.adapters.notification_log import NotificationLog
from services.query.adapters.notifier import AppliedNotifier
from services.query.adapters.ratings import RatingsGiven
from services.query.adapters.read_model import ReadModelRepository
from services.query.adapters.slip_log import SlipLog
from services.query.adapters.statistics import DossiersReceived
from services.query.bootstrap import procedure_documents, procedure_names
from services.query.dependencies import Query
from services.query.domain.countdown import Countdown
from services.query.domain.projection import Document, project
from services.query.reactions import when_dossier_event_update_read_model, when_notification_reported_record_it
from services.query.settings import QuerySettings
from shared.messages import Envelope
from shared.procedures import load_catalog
from shared.store.memory import MemoryStore
from shared.timezones import local_zone
from shared.working_calendar import load_calendar
from tests.support.contents import KnownContents
from tests.support.figures import report_figure
from tests.support.histories import OWNER, dossier_history, notification_reports

DOSSIER = "d-shuffled"
HISTORY = dossier_history(DOSSIER)
REPORTS = notification_reports(HISTORY)
EVERYTHING = [*HISTORY, *REPORTS]
CATALOG = load_catalog()
ZONE = local_zone("Asia/Ho_Chi_Minh")
EXAMPLES = 300
tried: list[int] = []  # each example's number of deliveries, as it starts
held: list[int] = []  # and as it ends equal


def in_order() -> Document:
    document: Document | None = None
    for event in HISTORY:
        document = project(document, event, procedure_names(CATALOG))
    assert document is not None
    return document


IN_ORDER = in_order()


async def deliver(deliveries: list[Envelope]) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """Hand each delivery to the reaction its queue's consumer calls; the document and reports after."""
    store = MemoryStore(f"shuffled_{uuid4().hex[:8]}")
    query = Query(read_model=ReadModelRepository(store.db, procedure_names(CATALOG), ZONE),
                  notifier=AppliedNotifier(), notifications=NotificationLog(store.db), slips=SlipLog(store.db),
                  settings=QuerySettings(),
                  zone=ZONE, procedure_documents=procedure_documents(CATALOG),
                  countdown=Countdown(load_calendar(), due_soon_working_days=2),
                  ratings=RatingsGiven(store.db), received=DossiersReceived(store.db), contents=KnownContents())
    await query.read_model.ensure_indexes()
    for event in deliveries:
        if event.type.startswith("notification."):
            await when_notification_reported_record_it(query, event)
        else:
            await when_dossier_event_update_read_model(query, event)
    document = await query.read_model.get(DOSSIER, OWNER)
    return document, await query.notifications.of_dossier(DOSSIER)


EXPECTED_REPORTS = asyncio.run(deliver(EVERYTHING))[1]
deliveries = st.tuples(st.permutations(EVERYTHING), st.lists(st.sampled_from(EVERYTHING), max_size=15)).flatmap(
    lambda drawn: st.permutations([*drawn[0], *drawn[1]]))


@settings(max_examples=EXAMPLES, deadline=None)
@given(deliveries)
def test_any_order_with_duplicates_ends_as_the_in_order_fold(shuffled: list[Envelope]) -> None:
    tried.append(len(shuffled))
    document, reports = asyncio.run(deliver(shuffled))
    assert document == IN_ORDER
    assert reports == EXPECTED_REPORTS
    held.append(len(shuffled))


def test_zz_report_the_figure() -> None:
    # Runs after the property (pytest keeps a module's order): the figure of all its examples.
    report_figure("duplicated and shuffled events", f"{len(tried)} generated deliveries of a dossier's 13 "
                  f"events (10 versioned, 3 notify reports), shuffled, with up to 15 duplicates",
                  f"{len(held)} of {len(tried)} ended equal to the in-order fold",
                  held=bool(tried) and len(held) == len(tried))
    assert tried, "the property ran no example"

"""The query service's use cases: the lists, counts, detail and lookup the gateway reads, the satisfaction
summary and the deadline statistics, the read-your-writes wait, and rebuilding the read model from the events
it kept."""

from services.query.dependencies import Query
from services.query.domain.filters import DossierFilters
from services.query.domain.paging import Cursor
from services.query.domain.ratings import MonthRange, summarize
from services.query.domain.statistics import summarize_deadlines
from services.query.domain.views import detail, list_item, public_lookup
from services.query.schemas import VersionReached
from shared.errors import DossierNotFound
from shared.logging import get_logger
from shared.read_model import (
    DeadlineStatistics,
    DossierDetail,
    DossierListItem,
    DossierPage,
    LookupAnswer,
    RatingSummary,
)
from shared.versions import wait_for_version

log = get_logger(__name__)


async def list_dossiers(query: Query, owner_id: str | None, filters: DossierFilters, page: int,
                        page_size: int, cursor: str | None = None) -> DossierPage:
    """One page of the citizen's dossiers (`owner_id`), or of everyone's but drafts (staff): where `cursor`
    says (keyset paging), or else the page numbered `page`."""
    position = Cursor.decode(cursor) if cursor else None
    today = query.today()
    # The same day for the overdue filter and the items' `overdue`, so that an overdue list says so of each.
    listed = await query.read_model.list_page(owner_id, filters, page_size, today, cursor=position, page=page,
                                              due_soon_until=query.countdown.due_soon_until(today))
    items = [DossierListItem.model_validate(list_item(document, today, query.zone, query.countdown))
             for document in listed.items]
    return DossierPage(items=items, total=listed.total, page=listed.page, page_size=page_size,
                       next_cursor=listed.next_cursor.encode() if listed.next_cursor else None,
                       prev_cursor=listed.previous_cursor.encode() if listed.previous_cursor else None)


async def count_by_status(query: Query, owner_id: str | None, deadlines: bool = False) -> dict[str, int]:
    """Every status's count; with `deadlines`, then the deadline states' (`due_soon`, `overdue`) as the filters
    find them (not statuses: a dossier counted there is counted under its status too)."""
    today = query.today()
    counts = await query.read_model.status_counts(owner_id)
    if not deadlines:
        return counts
    for name, filters in (("due_soon", DossierFilters(due_soon=True)), ("overdue", DossierFilters(overdue=True))):
        counts[name] = await query.read_model.count_dossiers(owner_id, filters, today,
                                                             query.countdown.due_soon_until(today))
    return counts


async def dossier_detail(query: Query, dossier_id: str, owner_id: str | None) -> DossierDetail:
    """The detail with its history, notifications and slips; another citizen's dossier is not found."""
    document = await query.read_model.get(dossier_id, owner_id)
    if document is None:
        raise DossierNotFound()
    shown = detail(document, query.today(), query.zone, query.procedure_documents, query.countdown)
    return DossierDetail.model_validate({**shown, "notifications": await query.notifications.of_dossier(dossier_id),
                                         "slips": await query.slips.of_dossier(dossier_id)})


async def look_up(query: Query, lookup_code: str) -> LookupAnswer:
    """Tra cứu hồ sơ: what anyone holding the code may see, nothing personal."""
    document = await query.read_model.find_by_lookup_code(lookup_code)
    if document is None:
        raise DossierNotFound()
    return LookupAnswer.model_validate(public_lookup(document))


async def summarize_ratings(query: Query, from_month: str | None, to_month: str | None,
                            procedure_code: str | None) -> RatingSummary:
    """The ratings given per procedure and month (Vietnam time), in the months asked for."""
    start, end = MonthRange.of(from_month, to_month).bounds(query.zone)
    counted = summarize(await query.ratings.between(start, end, procedure_code), query.zone)
    return RatingSummary.model_validate({"from_month": from_month, "to_month": to_month,
                                         "procedure_code": procedure_code, **counted})


async def count_deadlines(query: Query, from_month: str | None, to_month: str | None,
                          procedure_code: str | None) -> DeadlineStatistics:
    """The dossiers received per procedure and month (Vietnam time), in the months asked for, and how each
    stands against its due date today: on time, late (rescheduled late included), overdue, in progress."""
    start, end = MonthRange.of(from_month, to_month).bounds(query.zone)
    today = query.today()
    counted = summarize_deadlines(await query.received.between(start, end, procedure_code), today, query.zone)
    return DeadlineStatistics.model_validate({"from_month": from_month, "to_month": to_month,
                                              "procedure_code": procedure_code, "as_of": today, **counted})


async def wait_for_dossier_version(query: Query, dossier_id: str, at_least: int, seconds: float) -> VersionReached:
    """Hold on (at most the configured bound) until the read model shows `at_least` of the dossier."""
    wait = min(seconds, query.settings.max_wait_seconds)
    version = await wait_for_version(query.read_model.current_version, dossier_id, at_least, wait,
                                     wakeup=query.notifier)
    return VersionReached(id=dossier_id, version=version, reached=version is not None and version >= at_least)


async def rebuild_read_model(query: Query) -> int:
    """Replay every kept event into fresh documents; answers how many dossiers were rebuilt."""
    rebuilt = await query.read_model.rebuild()
    log.info("read_model_rebuilt", dossiers=rebuilt)
    return rebuilt

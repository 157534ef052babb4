"""The internal HTTP API the gateway reads from (over HTTP, or in-process): lists, counts, detail, waits."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from services.query import handlers
from services.query.dependencies import Query as QueryDependencies
from services.query.domain.filters import DossierFilters
from services.query.schemas import Rebuilt, VersionReached
from shared.messages import MONTH_PATTERN
from shared.read_model import DeadlineStatistics, DossierDetail, DossierPage, LookupAnswer, RatingSummary
from shared.statuses import Status

# Given, the citizen's own view; omitted, the staff view: every owner's dossiers, drafts excepted.
OwnerId = Annotated[str | None, Query(min_length=1, max_length=200,
                                      description="The citizen's id (JWT `sub`); omit only for staff views")]
Text = Annotated[str | None, Query(max_length=200)]
CURSOR_LENGTH = 500
Month = Annotated[str | None, Query(pattern=MONTH_PATTERN, description="YYYY-MM")]


def query_router(query: QueryDependencies) -> APIRouter:
    router = APIRouter(tags=["read model"])
    settings = query.settings

    @router.get("/dossiers", response_model=DossierPage)
    async def list_dossiers(
        owner_id: OwnerId = None,
        status: Annotated[Status | None, Query()] = None,
        q: Text = None,
        procedure_code: Text = None,
        code: Text = None,
        date_from: Annotated[date | None, Query(alias="from", description="Ngày nộp từ (YYYY-MM-DD)")] = None,
        date_to: Annotated[date | None, Query(alias="to", description="Ngày nộp đến (YYYY-MM-DD)")] = None,
        overdue: Annotated[bool, Query(description="Chỉ hồ sơ quá hạn")] = False,
        due_soon: Annotated[bool, Query(description="Chỉ hồ sơ sắp đến hạn")] = False,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        page_size: Annotated[int, Query(ge=1, le=settings.max_page_size)] = settings.default_page_size,
        cursor: Annotated[str | None, Query(max_length=CURSOR_LENGTH, description="next_cursor or prev_cursor of "
                                            "the page before; given, `page` is not read")] = None,
    ) -> DossierPage:
        filters = DossierFilters(status=status, q=q, procedure_code=procedure_code, code=code,
                                 date_from=date_from, date_to=date_to, overdue=overdue,
                                 due_soon=due_soon)
        return await handlers.list_dossiers(query, owner_id, filters, page, page_size, cursor)

    @router.get("/status-counts", response_model=dict[str, int])
    async def status_counts(
        owner_id: OwnerId = None,
        deadlines: Annotated[bool, Query(description="Also due_soon and overdue (the staff's tabs)")] = False,
    ) -> dict[str, int]:
        return await handlers.count_by_status(query, owner_id, deadlines)

    @router.get("/dossiers/{dossier_id}", response_model=DossierDetail)
    async def get_dossier(
        dossier_id: str,
        owner_id: OwnerId = None,
    ) -> DossierDetail:
        return await handlers.dossier_detail(query, dossier_id, owner_id)

    @router.get("/lookup/{lookup_code}", response_model=LookupAnswer)
    async def lookup(lookup_code: Annotated[str, Path(min_length=1, max_length=100)]) -> LookupAnswer:
        """Tra cứu hồ sơ: status, procedure, dates and history for anyone holding the code; nothing personal."""
        return await handlers.look_up(query, lookup_code)

    @router.get("/ratings/summary", response_model=RatingSummary)
    async def ratings_summary(from_month: Month = None, to_month: Month = None,
                              procedure_code: Text = None) -> RatingSummary:
        return await handlers.summarize_ratings(query, from_month, to_month, procedure_code)

    @router.get("/statistics", response_model=DeadlineStatistics)
    async def deadline_statistics(from_month: Month = None, to_month: Month = None,
                                  procedure_code: Text = None) -> DeadlineStatistics:
        return await handlers.count_deadlines(query, from_month, to_month, procedure_code)

    @router.get("/dossiers/{dossier_id}/version", response_model=VersionReached)
    async def dossier_version(
        dossier_id: str,
        at_least: Annotated[int, Query(ge=1)],
        wait_seconds: Annotated[float, Query(alias="timeout", ge=0, description="Seconds; capped")] = 2.0,
    ) -> VersionReached:
        return await handlers.wait_for_dossier_version(query, dossier_id, at_least, wait_seconds)

    @router.post("/rebuild", response_model=Rebuilt)
    async def rebuild() -> Rebuilt:
        return Rebuilt(dossiers=await handlers.rebuild_read_model(query))

    return router

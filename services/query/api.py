"""The internal HTTP API the gateway reads from (over HTTP, or in-process): lists, counts, detail, waits."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from services.query.dates import local_zone, today_in
from services.query.filters import DossierFilters
from services.query.handlers import rebuild_read_model, wait_for_version
from services.query.notifications import NotificationLog
from services.query.notifier import AppliedNotifier
from services.query.repository import ReadModelRepository
from services.query.schemas import Rebuilt, VersionReached
from services.query.settings import QuerySettings
from services.query.views import detail, list_item, public_lookup
from shared.errors import DossierNotFound
from shared.read_model import DossierDetail, DossierListItem, LookupAnswer
from shared.read_model import DossierPage as DossiersPage
from shared.statuses import Status

# Given, the citizen's own view; omitted, the staff view: every owner's dossiers, drafts excepted.
OwnerId = Annotated[str | None, Query(min_length=1, max_length=200,
                                      description="The citizen's id (JWT `sub`); omit only for staff views")]
Text = Annotated[str | None, Query(max_length=200)]


def query_router(repo: ReadModelRepository, notifier: AppliedNotifier, notifications: NotificationLog,
                 settings: QuerySettings) -> APIRouter:
    router = APIRouter(tags=["read model"])
    zone = local_zone(settings.timezone)

    @router.get("/dossiers", response_model=DossiersPage)
    async def list_dossiers(
        owner_id: OwnerId = None,
        status: Annotated[Status | None, Query()] = None,
        q: Text = None,
        procedure_code: Text = None,
        code: Text = None,
        date_from: Annotated[date | None, Query(alias="from", description="Ngày nộp từ (YYYY-MM-DD)")] = None,
        date_to: Annotated[date | None, Query(alias="to", description="Ngày nộp đến (YYYY-MM-DD)")] = None,
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        page_size: Annotated[int, Query(ge=1, le=settings.max_page_size)] = settings.default_page_size,
    ) -> DossiersPage:
        filters = DossierFilters(status=status, q=q, procedure_code=procedure_code, code=code,
                                 date_from=date_from, date_to=date_to)
        documents, total = await repo.list_dossiers(owner_id, filters, page, page_size)
        today = today_in(zone)
        items = [DossierListItem.model_validate(list_item(doc, today, zone)) for doc in documents]
        return DossiersPage(items=items, total=total, page=page, page_size=page_size)

    @router.get("/status-counts", response_model=dict[str, int])
    async def status_counts(owner_id: OwnerId = None) -> dict[str, int]:
        return await repo.status_counts(owner_id)

    @router.get("/dossiers/{dossier_id}", response_model=DossierDetail)
    async def get_dossier(
        dossier_id: str,
        owner_id: OwnerId = None,
    ) -> DossierDetail:
        document = await repo.get(dossier_id, owner_id)
        if document is None:
            raise DossierNotFound()
        return DossierDetail.model_validate({**detail(document, today_in(zone), zone),
                                             "notifications": await notifications.of_dossier(dossier_id)})

    @router.get("/lookup/{lookup_code}", response_model=LookupAnswer)
    async def lookup(lookup_code: Annotated[str, Path(min_length=1, max_length=100)]) -> LookupAnswer:
        """Tra cứu hồ sơ: status, procedure, dates and history for anyone holding the code; nothing personal."""
        document = await repo.find_by_lookup_code(lookup_code)
        if document is None:
            raise DossierNotFound()
        return LookupAnswer.model_validate(public_lookup(document))

    @router.get("/dossiers/{dossier_id}/version", response_model=VersionReached)
    async def dossier_version(
        dossier_id: str,
        at_least: Annotated[int, Query(ge=1)],
        wait_seconds: Annotated[float, Query(alias="timeout", ge=0, description="Seconds; capped")] = 2.0,
    ) -> VersionReached:
        wait = min(wait_seconds, settings.max_wait_seconds)
        version = await wait_for_version(repo, notifier, dossier_id, at_least, wait)
        reached = version is not None and version >= at_least
        return VersionReached(id=dossier_id, version=version, reached=reached)

    @router.post("/rebuild", response_model=Rebuilt)
    async def rebuild() -> Rebuilt:
        return Rebuilt(dossiers=await rebuild_read_model(repo))

    return router

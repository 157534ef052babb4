"""The staff's deadline statistics page (thống kê tình hình giải quyết hồ sơ), beside the ratings' summary and on
the public `/v1` API like any other frontend."""

from fastapi import APIRouter, Request, Response

from services.gateway.portal.adapters.public_api import ApiError
from services.gateway.portal.api.rating import PAGE_NAMES, api_month, shown_month
from services.gateway.portal.dependencies import ApiDep, CatalogsDep, StaffVisitor
from services.gateway.portal.pages import render
from services.gateway.portal.problems import explain

router = APIRouter(include_in_schema=False)


@router.get("/can-bo/thong-ke")
async def deadline_statistics(request: Request, api: ApiDep, catalogs: CatalogsDep,
                              _visitor: StaffVisitor) -> Response:
    """The dossiers received per procedure and month and how they stand; a month range ("03/2026" or "2026-03")
    and a procedure narrow it, as on the ratings' page."""
    asked = {name: request.query_params.get(page_name, "").strip()[:64] for name, page_name in PAGE_NAMES.items()}
    params = {name: api_month(value) if name.endswith("_month") else value for name, value in asked.items() if value}
    trouble, status, statistics = None, 200, None
    try:
        statistics = await api.get("/v1/staff/statistics", params)
    except ApiError as error:
        if error.status != 422:
            raise
        trouble, status = explain(error), 422
    return render(request, "staff_statistics.html", status=status, title="Thống kê tình hình giải quyết hồ sơ",
                  asked=asked, statistics=statistics, problem=trouble, procedures=catalogs.procedures,
                  shown_month=shown_month)

"""The satisfaction rating on the portal: the citizen's form on the dossier's detail, and the staff's summary
page (tổng hợp đánh giá mức độ hài lòng), both on the public `/v1` API like any other frontend."""


import re

from fastapi import APIRouter, Request, Response

from services.gateway.portal.adapters.public_api import ApiError
from services.gateway.portal.api.dossiers import show_dossier
from services.gateway.portal.dependencies import ApiDep, CatalogsDep, CitizenVisitor, StaffVisitor, checked_id
from services.gateway.portal.pages import go, render
from services.gateway.portal.problems import explain
from services.gateway.portal.session import check_csrf

router = APIRouter(include_in_schema=False)



@router.post("/ho-so/{dossier_id}/danh-gia")
async def rate(dossier_id: str, request: Request, api: ApiDep, catalogs: CatalogsDep,
               _visitor: CitizenVisitor) -> Response:
    """Send the rating; the API words any refusal (no level chosen, no comment when dissatisfied) per field."""
    form = await request.form()
    check_csrf(request, form)
    entered = {name: str(form.get(name, "")) for name in ("level", "comment")}
    body = {"comment": entered["comment"].strip() or None, **({"level": entered["level"]} if entered["level"] else {})}
    try:
        await api.call("PUT", f"/v1/dossiers/{checked_id(dossier_id)}/rating", json=body)
    except ApiError as error:
        return await show_dossier(request, api, catalogs, dossier_id, refused=error, entered=entered)
    return go(request, f"/ho-so/{dossier_id}#danh-gia", "rated")


@router.get("/can-bo/danh-gia")
async def ratings_summary(request: Request, api: ApiDep, catalogs: CatalogsDep, _visitor: StaffVisitor) -> Response:
    """The ratings per procedure and month; a month range ("03/2026" or "2026-03") and a procedure narrow it."""
    asked = {name: request.query_params.get(page_name, "").strip()[:64] for name, page_name in PAGE_NAMES.items()}
    params = {name: api_month(value) if name.endswith("_month") else value for name, value in asked.items() if value}
    trouble, status, summary = None, 200, None
    try:
        summary = await api.get("/v1/staff/ratings/summary", params)
    except ApiError as error:
        if error.status != 422:
            raise
        trouble, status = explain(error), 422
    return render(request, "staff_ratings.html", status=status, title="Tổng hợp đánh giá mức độ hài lòng",
                  asked=asked, summary=summary, problem=trouble, procedures=catalogs.procedures,
                  shown_month=shown_month)


# The API's parameters and the page's names for them.
PAGE_NAMES = {"from_month": "tu-thang", "to_month": "den-thang", "procedure_code": "thu-tuc"}
_SLASHED = re.compile(r"^(\d{1,2})/(\d{4})$")


def api_month(typed: str) -> str:
    """"3/2026" or "03/2026" (as Vietnamese write a month) as the API's "2026-03"; anything else as typed,
    for the API to say what is wrong with it."""
    slashed = _SLASHED.match(typed)
    return f"{slashed[2]}-{int(slashed[1]):02d}" if slashed else typed


def shown_month(month: str) -> str:
    """"2026-03" as "03/2026"."""
    year, _, number = month.partition("-")
    return f"{number}/{year}"

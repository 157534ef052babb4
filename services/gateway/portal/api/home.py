"""Quản lý hồ sơ (Figure 1): a tab per status with its count, the chosen status's list and its search."""

import math
from typing import Any

from fastapi import APIRouter, Request, Response

from services.gateway.portal.adapters.public_api import ApiError
from services.gateway.portal.dependencies import ApiDep, CatalogsDep, citizen_only
from services.gateway.portal.pages import go, render
from services.gateway.portal.problems import explain
from services.gateway.portal.search import Search
from services.gateway.portal.session import PAYING_COOKIE, visitor_of

router = APIRouter(include_in_schema=False)


@router.get("/")
async def manage_dossiers(request: Request, api: ApiDep, catalogs: CatalogsDep) -> Response:
    paying = request.cookies.get(PAYING_COOKIE)
    if paying and visitor_of(request).is_citizen:
        # Back from the payment provider's checkout: on to the dossier being paid.
        response = go(request, f"/ho-so/{paying}", "paid_back")
        response.delete_cookie(PAYING_COOKIE, path="/")
        return response
    citizen_only(request)
    search = Search.of(request.query_params, {entry["code"] for entry in catalogs.statuses})
    counts: dict[str, int] = await api.get("/v1/me/status-counts")
    tabs = [(None, "Tất cả", sum(counts.values()), "/")] + [
        (entry["code"], entry["label"], counts.get(entry["code"], 0), Search(status=entry["code"]).link())
        for entry in catalogs.statuses]
    params, problem = search.api_params()
    found: dict[str, Any] = {"items": [], "total": 0, "page": search.page}
    if problem is None:
        try:
            found = await api.get("/v1/dossiers", params)
        except ApiError as error:
            if error.status != 422:
                raise
            problem = explain(error, field_labels={"from": f"{search.day_label} từ", "to": f"{search.day_label} đến"})
    return render(request, "manage.html", title="Quản lý hồ sơ", search=search, tabs=tabs,
                  status_label=catalogs.status_label(search.status) if search.status else "Tất cả",
                  procedures=catalogs.procedures, found=found, problem=problem,
                  pages=max(1, math.ceil(found["total"] / (params.get("page_size") or 1))))

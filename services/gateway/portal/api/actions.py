"""The citizen's actions on a dossier: send (gửi), withdraw (rút, Figure 5) and delete (xoá).

Withdraw and delete ask first. With scripts on, the detail page asks in a dialog; without them, the
button is a link to a confirmation page holding the same form.
"""

from fastapi import APIRouter, Request, Response

from services.gateway.portal.adapters.public_api import ApiError, PortalApi
from services.gateway.portal.api.dossiers import show_dossier
from services.gateway.portal.confirmations import CONFIRMATIONS
from services.gateway.portal.dependencies import ApiDep, CatalogsDep, CitizenVisitor, checked_id
from services.gateway.portal.pages import go, render
from services.gateway.portal.session import check_csrf

router = APIRouter(include_in_schema=False)


@router.post("/ho-so/{dossier_id}/gui")
async def submit(dossier_id: str, request: Request, api: ApiDep, catalogs: CatalogsDep,
                 _visitor: CitizenVisitor) -> Response:
    form = await request.form()
    check_csrf(request, form)
    try:
        await api.call("POST", f"/v1/dossiers/{checked_id(dossier_id)}/submit")
    except ApiError as error:
        return await show_dossier(request, api, catalogs, dossier_id, refused=error)
    notice = "resubmitted" if form.get("supplement") else "submitted"
    return go(request, f"/ho-so/{dossier_id}", notice)


@router.get("/ho-so/{dossier_id}/rut")
async def withdraw_page(dossier_id: str, request: Request, api: ApiDep, _visitor: CitizenVisitor) -> Response:
    return await _confirmation_page(request, api, dossier_id, "rut")


@router.get("/ho-so/{dossier_id}/xoa")
async def delete_page(dossier_id: str, request: Request, api: ApiDep, _visitor: CitizenVisitor) -> Response:
    return await _confirmation_page(request, api, dossier_id, "xoa")


async def _confirmation_page(request: Request, api: PortalApi, dossier_id: str, step: str) -> Response:
    """The confirmation without scripts (Figure 5): the question and the same form as the dialog's."""
    confirmation = CONFIRMATIONS[step]
    dossier = await api.get(f"/v1/dossiers/{checked_id(dossier_id)}")
    if confirmation.action not in dossier["actions"]:
        return go(request, f"/ho-so/{dossier_id}")
    return render(request, "confirm.html", title=confirmation.title, dossier=dossier, confirmation=confirmation,
                  step=step)


@router.post("/ho-so/{dossier_id}/rut")
async def withdraw(dossier_id: str, request: Request, api: ApiDep, catalogs: CatalogsDep,
                   _visitor: CitizenVisitor) -> Response:
    check_csrf(request, await request.form())
    try:
        await api.call("POST", f"/v1/dossiers/{checked_id(dossier_id)}/withdraw")
    except ApiError as error:
        return await show_dossier(request, api, catalogs, dossier_id, refused=error)
    confirmation = CONFIRMATIONS["rut"]
    return go(request, confirmation.then, confirmation.notice)


@router.post("/ho-so/{dossier_id}/xoa")
async def delete(dossier_id: str, request: Request, api: ApiDep, catalogs: CatalogsDep,
                 _visitor: CitizenVisitor) -> Response:
    form = await request.form()
    check_csrf(request, form)
    seen = str(form.get("version", ""))
    try:
        await api.call("DELETE", f"/v1/dossiers/{checked_id(dossier_id)}",
                       headers={"If-Match": seen} if seen.isdigit() else None)
    except ApiError as error:
        return await show_dossier(request, api, catalogs, dossier_id, refused=error)
    confirmation = CONFIRMATIONS["xoa"]
    return go(request, confirmation.then, confirmation.notice)

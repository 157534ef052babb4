"""A dossier's pages: its detail (Figure 2), and the form to create or edit a draft (one per procedure)."""

from typing import Any

from fastapi import APIRouter, Request, Response

from services.gateway.portal.adapters.catalogs import Catalogs
from services.gateway.portal.adapters.public_api import ApiError, PortalApi
from services.gateway.portal.confirmations import CONFIRMATIONS
from services.gateway.portal.dependencies import ApiDep, CatalogsDep, CitizenVisitor, checked_id
from services.gateway.portal.forms import DossierForm
from services.gateway.portal.pages import go, render
from services.gateway.portal.problems import Problem, explain, problem
from services.gateway.portal.session import check_csrf

router = APIRouter(include_in_schema=False)


async def show_dossier(request: Request, api: PortalApi, catalogs: Catalogs, dossier_id: str, *,
                       refused: ApiError | None = None, trouble: Problem | None = None,
                       status: int = 200) -> Response:
    """The detail page; after a refused action, with what went wrong at the top (and the refusal's status)."""
    dossier = await api.get(f"/v1/dossiers/{checked_id(dossier_id)}")
    labels = catalogs.field_labels(dossier["procedure_code"])
    if refused is not None:
        trouble = explain(refused, status_label=dossier["status_label"], form_labels=labels)
        status = refused.status
    return render(request, "dossier.html", status=status, title=dossier["title"], dossier=dossier,
                  procedure=catalogs.procedure(dossier["procedure_code"]), field_labels=labels, catalogs=catalogs,
                  confirmations=CONFIRMATIONS, problem=trouble, for_citizen=True)


@router.get("/ho-so/moi")
async def new_dossier(request: Request, catalogs: CatalogsDep, visitor: CitizenVisitor) -> Response:
    procedure = catalogs.procedure(request.query_params.get("thu-tuc"))
    if procedure is None:
        return render(request, "choose_procedure.html", title="Chọn thủ tục hành chính",
                      groups=catalogs.procedures_by_field())
    return _form_page(request, DossierForm.blank(procedure, visitor.principal), action="/ho-so/moi")


@router.post("/ho-so/moi")
async def create_dossier(request: Request, api: ApiDep, catalogs: CatalogsDep, _visitor: CitizenVisitor) -> Response:
    form = await request.form()
    check_csrf(request, form)
    procedure = catalogs.procedure(str(form.get("procedure_code", "")))
    if procedure is None:
        return render(request, "choose_procedure.html", status=422, title="Chọn thủ tục hành chính",
                      groups=catalogs.procedures_by_field(),
                      problem=problem("Vui lòng chọn thủ tục hành chính.", procedure_code="Chưa chọn thủ tục."))
    entered = DossierForm.posted(procedure, form)
    try:
        created = await api.call("POST", "/v1/dossiers", json={"procedure_code": procedure["code"],
                                                               **entered.body()})
    except ApiError as error:
        if error.status != 422:
            raise
        return _form_page(request, entered, action="/ho-so/moi", refused=error)
    return go(request, f"/ho-so/{created['id']}", "created")


@router.get("/ho-so/{dossier_id}")
async def dossier_detail(dossier_id: str, request: Request, api: ApiDep, catalogs: CatalogsDep,
                         _visitor: CitizenVisitor) -> Response:
    return await show_dossier(request, api, catalogs, dossier_id)


@router.get("/ho-so/{dossier_id}/sua")
async def edit_page(dossier_id: str, request: Request, api: ApiDep, catalogs: CatalogsDep,
                    _visitor: CitizenVisitor) -> Response:
    dossier = await api.get(f"/v1/dossiers/{checked_id(dossier_id)}")
    if "edit" not in dossier["actions"]:
        return go(request, f"/ho-so/{dossier_id}")
    procedure = catalogs.procedure(dossier["procedure_code"]) or _unknown(dossier)
    return _form_page(request, DossierForm.of_dossier(procedure, dossier), action=f"/ho-so/{dossier_id}/sua",
                      dossier=dossier)


@router.post("/ho-so/{dossier_id}/sua")
async def edit_dossier(dossier_id: str, request: Request, api: ApiDep, catalogs: CatalogsDep,
                       _visitor: CitizenVisitor) -> Response:
    form = await request.form()
    check_csrf(request, form)
    dossier = await api.get(f"/v1/dossiers/{checked_id(dossier_id)}")
    procedure = catalogs.procedure(dossier["procedure_code"]) or _unknown(dossier)
    entered = DossierForm.posted(procedure, form)
    # The version the person saw when the form was drawn: a change made meanwhile elsewhere is refused.
    seen = str(form.get("version", ""))
    try:
        await api.call("PATCH", f"/v1/dossiers/{dossier_id}", json=entered.body(), headers={"If-Match": seen})
    except ApiError as error:
        if error.status not in (409, 412, 422):
            raise
        return _form_page(request, entered, action=f"/ho-so/{dossier_id}/sua", dossier=dossier, refused=error)
    return go(request, f"/ho-so/{dossier_id}", "edited")


def _form_page(request: Request, entered: DossierForm, *, action: str, dossier: dict[str, Any] | None = None,
               refused: ApiError | None = None) -> Response:
    labels = {spec["name"]: spec["label"] for spec in entered.procedure["form_fields"]}
    trouble: Problem | None = explain(refused, form_labels=labels) if refused else None
    title = "Sửa hồ sơ" if dossier else "Tạo hồ sơ mới"
    return render(request, "dossier_form.html", status=refused.status if refused else 200, title=title,
                  entered=entered, procedure=entered.procedure, action=action, dossier=dossier, problem=trouble)


def _unknown(dossier: dict[str, Any]) -> dict[str, Any]:
    """A procedure no longer in the catalog: its dossier is still editable on its title and applicant."""
    return {"code": dossier["procedure_code"], "name": dossier.get("procedure_name") or dossier["procedure_code"],
            "form_fields": [], "fee_vnd": 0, "processing_days": 0}

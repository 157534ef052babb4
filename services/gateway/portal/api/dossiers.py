"""A dossier's pages: its detail (Figure 2), and the form to create or edit it (one per procedure).

The form page of a dossier is "Sửa hồ sơ" (`/sua`) while it is a draft and "Bổ sung hồ sơ" (`/bo-sung`) while
a supplement is requested; both hold the content form, the documents' upload forms and the send button.
"""

from typing import Any

from fastapi import APIRouter, Request, Response

from services.gateway.dependencies import gateway_of
from services.gateway.portal.adapters.catalogs import Catalogs
from services.gateway.portal.adapters.public_api import ApiError, PortalApi
from services.gateway.portal.confirmations import CONFIRMATIONS
from services.gateway.portal.dependencies import ApiDep, CatalogsDep, CitizenVisitor, checked_id
from services.gateway.portal.documents import (
    document_names,
    document_rows,
    last_sent_at,
    requested_first,
    required_progress,
)
from services.gateway.portal.formatting import titled
from services.gateway.portal.forms import DossierForm
from services.gateway.portal.pages import go, render
from services.gateway.portal.problems import Problem, explain, problem
from services.gateway.portal.session import check_csrf

router = APIRouter(include_in_schema=False)

SUPPLEMENT = "supplement_requested"
# The form pages' last part, as the upload forms name where to come back to (`ve`).
FORM_PAGES = ("sua", "bo-sung")


def form_page(dossier: dict[str, Any]) -> str:
    """The address of the dossier's form page: Bổ sung hồ sơ under a supplement request, Sửa hồ sơ otherwise."""
    return f"/ho-so/{dossier['id']}/{'bo-sung' if dossier['status'] == SUPPLEMENT else 'sua'}"


def files_base(dossier_id: str) -> str:
    """Where the citizen's pages download, upload and remove the dossier's files."""
    return f"/ho-so/{dossier_id}/tai-lieu"


async def show_dossier(request: Request, api: PortalApi, catalogs: Catalogs, dossier_id: str, *,
                       refused: ApiError | None = None, trouble: Problem | None = None,
                       status: int = 200, entered: dict[str, str] | None = None) -> Response:
    """The detail page; after a refused action, with what went wrong at the top (and the refusal's status)
    and what the person had entered in its form (`entered`), so that nothing typed is lost."""
    dossier = await api.get(f"/v1/dossiers/{checked_id(dossier_id)}")
    labels = catalogs.field_labels(dossier["procedure_code"])
    if refused is not None:
        trouble = explain(refused, status_label=dossier["status_label"], form_labels=labels)
        status = refused.status
    procedure = catalogs.procedure(dossier["procedure_code"])
    documents = document_rows(procedure, dossier)
    return render(request, "dossier.html", status=status, title=titled(dossier["title"]), dossier=dossier,
                  procedure=procedure, field_labels=labels, catalogs=catalogs, confirmations=CONFIRMATIONS,
                  problem=trouble, for_citizen=True, form_page=form_page(dossier), documents=documents,
                  document_names=document_names(documents), files_base=files_base(dossier["id"]),
                  was_sent=last_sent_at(dossier) is not None, entered=entered or {})


async def show_form(request: Request, api: PortalApi, catalogs: Catalogs, dossier_id: str, *,
                    trouble: Problem | None = None, status: int = 200,
                    entered: DossierForm | None = None) -> Response:
    """The dossier's form page as it is now (after an upload, a removal or a refused sending); the detail
    when the dossier can no longer be changed."""
    dossier = await api.get(f"/v1/dossiers/{checked_id(dossier_id)}")
    if "edit" not in dossier["actions"]:
        return await show_dossier(request, api, catalogs, dossier_id, trouble=trouble, status=status)
    procedure = catalogs.procedure(dossier["procedure_code"]) or _unknown(dossier)
    return _form_page(request, entered or DossierForm.of_dossier(procedure, dossier), action=form_page(dossier),
                      dossier=dossier, trouble=trouble, status=status)


@router.get("/ho-so/moi")
async def new_dossier(request: Request, catalogs: CatalogsDep, visitor: CitizenVisitor) -> Response:
    procedure = catalogs.procedure(request.query_params.get("thu-tuc"))
    if procedure is None:
        # "Tiếp tục" with no procedure chosen sends only the form's step marker: say so, do not just redraw.
        pressed = "buoc" in request.query_params
        return render(request, "choose_procedure.html", status=422 if pressed else 200,
                      title="Chọn thủ tục hành chính", groups=catalogs.procedures_by_field(),
                      problem=problem("Vui lòng chọn thủ tục hành chính.", procedure_code="Chưa chọn thủ tục.")
                      if pressed else None)
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
    # Files need a dossier to belong to: saved, the draft opens on its form page, at its documents.
    return go(request, f"/ho-so/{created['id']}/sua#thanh-phan-ho-so", "created")


@router.get("/ho-so/{dossier_id}")
async def dossier_detail(dossier_id: str, request: Request, api: ApiDep, catalogs: CatalogsDep,
                         _visitor: CitizenVisitor) -> Response:
    return await show_dossier(request, api, catalogs, dossier_id)


# One page under two names: "Sửa hồ sơ" for a draft, "Bổ sung hồ sơ" under a supplement request (the page
# itself sends the dossier to the name that fits its status).
@router.get("/ho-so/{dossier_id}/sua")
@router.get("/ho-so/{dossier_id}/bo-sung")
async def edit_page(dossier_id: str, request: Request, api: ApiDep, catalogs: CatalogsDep,
                    _visitor: CitizenVisitor) -> Response:
    return await _form_page_of(request, api, catalogs, dossier_id)


@router.post("/ho-so/{dossier_id}/sua")
@router.post("/ho-so/{dossier_id}/bo-sung")
async def edit_dossier(dossier_id: str, request: Request, api: ApiDep, catalogs: CatalogsDep,
                       _visitor: CitizenVisitor) -> Response:
    return await _save(request, api, catalogs, dossier_id)


async def _form_page_of(request: Request, api: PortalApi, catalogs: Catalogs, dossier_id: str) -> Response:
    dossier = await api.get(f"/v1/dossiers/{checked_id(dossier_id)}")
    if "edit" not in dossier["actions"]:
        return go(request, f"/ho-so/{dossier_id}")
    if request.url.path != form_page(dossier):
        # A bookmark of the other form page: the dossier's status says which one it has now.
        return go(request, form_page(dossier))
    procedure = catalogs.procedure(dossier["procedure_code"]) or _unknown(dossier)
    return _form_page(request, DossierForm.of_dossier(procedure, dossier), action=form_page(dossier),
                      dossier=dossier)


async def _save(request: Request, api: PortalApi, catalogs: Catalogs, dossier_id: str) -> Response:
    """Save the content form; with its send button (`sau=gui`), send the dossier once saved."""
    form = await request.form()
    check_csrf(request, form)
    dossier = await api.get(f"/v1/dossiers/{checked_id(dossier_id)}")
    procedure = catalogs.procedure(dossier["procedure_code"]) or _unknown(dossier)
    entered = DossierForm.posted(procedure, form)
    sending = form.get("sau") == "gui"
    # Sending what is stored already needs no save (and no new version to wait for).
    if not (sending and entered.body() == DossierForm.of_dossier(procedure, dossier).body()):
        # The version the person saw when the form was drawn: a change made meanwhile elsewhere is refused.
        seen = str(form.get("version", ""))
        try:
            await api.call("PATCH", f"/v1/dossiers/{dossier_id}", json=entered.body(), headers={"If-Match": seen})
        except ApiError as error:
            if error.status not in (409, 412, 422):
                raise
            return _form_page(request, entered, action=form_page(dossier), dossier=dossier, refused=error)
    if not sending:
        return go(request, f"/ho-so/{dossier_id}", "edited")
    try:
        await api.call("POST", f"/v1/dossiers/{dossier_id}/submit")
    except ApiError as error:
        if error.status == 404:
            raise
        labels = {spec["name"]: spec["label"] for spec in procedure["form_fields"]}
        trouble = explain(error, status_label=dossier["status_label"], form_labels=labels)
        # Drawn again from what is stored now: the content was saved, and its version is the one to send.
        return await show_form(request, api, catalogs, dossier_id, trouble=trouble, status=error.status,
                               entered=entered)
    return go(request, f"/ho-so/{dossier_id}", "resubmitted" if dossier["status"] == SUPPLEMENT else "submitted")


def _form_page(request: Request, entered: DossierForm, *, action: str, dossier: dict[str, Any] | None = None,
               refused: ApiError | None = None, trouble: Problem | None = None, status: int = 200) -> Response:
    labels = {spec["name"]: spec["label"] for spec in entered.procedure["form_fields"]}
    if refused is not None:
        trouble, status = explain(refused, form_labels=labels), refused.status
    supplement = dossier is not None and dossier["status"] == SUPPLEMENT
    title = "Bổ sung hồ sơ" if supplement else "Sửa hồ sơ" if dossier else "Tạo hồ sơ mới"
    documents = document_rows(entered.procedure, dossier)
    requested, others = requested_first(documents)
    return render(request, "dossier_form.html", status=status, title=title, entered=entered,
                  procedure=entered.procedure, action=action, dossier=dossier, problem=trouble,
                  supplement=supplement, documents=documents, requested=requested, others=others,
                  progress=required_progress(documents),
                  files_base=files_base(dossier["id"]) if dossier else "",
                  back="bo-sung" if supplement else "sua",
                  was_sent=dossier is not None and last_sent_at(dossier) is not None,
                  upload_cap=gateway_of(request).settings.max_upload_bytes)


def _unknown(dossier: dict[str, Any]) -> dict[str, Any]:
    """A procedure no longer in the catalog: its dossier is still editable on its title and applicant."""
    return {"code": dossier["procedure_code"], "name": dossier.get("procedure_name") or dossier["procedure_code"],
            "form_fields": [], "fee_vnd": 0, "processing_days": 0, "documents": []}

"""A minimal staff page (cán bộ tiếp nhận): the dossiers to work on, and a form per action open now.

Enough to show the whole lifecycle in the browser; real staff tools use the same `/v1/staff` API or the
commands over RabbitMQ.
"""

import asyncio
from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.datastructures import UploadFile

from services.gateway.portal.adapters.catalogs import Catalogs
from services.gateway.portal.adapters.public_api import ApiError, PortalApi
from services.gateway.portal.api.documents import checked_code, checked_file_id, stream_file
from services.gateway.portal.dependencies import ApiDep, CatalogsDep, StaffVisitor, checked_id
from services.gateway.portal.documents import document_names, document_rows, last_sent_at
from services.gateway.portal.pages import go, render
from services.gateway.portal.problems import Problem, explain, problem
from services.gateway.portal.session import check_csrf
from services.gateway.portal.staff_actions import BY_NAME, WORK_STATUSES, open_actions

router = APIRouter(include_in_schema=False)


@router.get("/can-bo")
async def work_list(request: Request, api: ApiDep, catalogs: CatalogsDep, _visitor: StaffVisitor) -> Response:
    wanted = request.query_params.get("trang-thai", WORK_STATUSES[0])
    status = wanted if wanted in {entry["code"] for entry in catalogs.statuses} else WORK_STATUSES[0]
    keyword = request.query_params.get("tu-khoa", "").strip()[:200]
    totals = await asyncio.gather(*(api.get("/v1/staff/dossiers", {"status": code, "page_size": 1})
                                    for code in WORK_STATUSES))
    tabs = [(code, catalogs.status_label(code), total["total"])
            for code, total in zip(WORK_STATUSES, totals, strict=True)]
    found = await api.get("/v1/staff/dossiers", {"status": status, "q": keyword, "page_size": 50})
    return render(request, "staff_list.html", title="Hồ sơ cần xử lý", tabs=tabs, current=status,
                  status_label=catalogs.status_label(status), keyword=keyword, found=found)


@router.get("/can-bo/ho-so/{dossier_id}")
async def staff_dossier(dossier_id: str, request: Request, api: ApiDep, catalogs: CatalogsDep,
                        _visitor: StaffVisitor) -> Response:
    return await _show(request, api, catalogs, dossier_id)


@router.get("/can-bo/ho-so/{dossier_id}/tai-lieu/{code}/{file_id}")
async def download_file(dossier_id: str, code: str, file_id: str, request: Request, api: ApiDep,
                        catalogs: CatalogsDep, _visitor: StaffVisitor) -> Response:
    """A file the citizen sent with the dossier, as an attachment (staff reach sent files only)."""
    path = (f"/v1/staff/dossiers/{checked_id(dossier_id)}/documents/{checked_code(code)}/"
            f"{checked_file_id(file_id)}")
    try:
        return await stream_file(api, path)
    except ApiError as error:
        return await _show(request, api, catalogs, dossier_id, refused=error)


@router.post("/can-bo/ho-so/{dossier_id}/{action}")
async def act(dossier_id: str, action: str, request: Request, api: ApiDep, catalogs: CatalogsDep,
              _visitor: StaffVisitor) -> Response:
    form = await request.form()
    check_csrf(request, form)
    chosen = BY_NAME.get(action)
    if chosen is None:
        return await _show(request, api, catalogs, dossier_id, trouble=problem("Thao tác không tồn tại."), status=404)
    path = f"/v1/staff/dossiers/{checked_id(dossier_id)}/{action}"
    try:
        if action == "issue-result":
            await api.call("POST", path, data={"summary": str(form.get("summary", "")).strip()},
                           files=_document(form.get("document")))
        else:
            await api.call("POST", path, json=action_body(form, chosen.asks) or None)
    except ApiError as error:
        return await _show(request, api, catalogs, dossier_id, refused=error)
    return go(request, f"/can-bo/ho-so/{dossier_id}", f"staff:{action}")


async def _show(request: Request, api: PortalApi, catalogs: Catalogs, dossier_id: str, *,
                refused: ApiError | None = None, trouble: Problem | None = None, status: int = 200) -> Response:
    dossier = await api.get(f"/v1/staff/dossiers/{checked_id(dossier_id)}")
    if refused is not None:
        trouble, status = explain(refused, status_label=dossier["status_label"]), refused.status
    procedure = catalogs.procedure(dossier["procedure_code"])
    documents = document_rows(procedure, dossier)
    return render(request, "staff_dossier.html", status=status, title=dossier["title"], dossier=dossier,
                  actions=open_actions(dossier["status"]), procedure=procedure,
                  field_labels=catalogs.field_labels(dossier["procedure_code"]), catalogs=catalogs,
                  problem=trouble, documents=documents, document_names=document_names(documents),
                  files_base=f"/can-bo/ho-so/{dossier['id']}/tai-lieu", was_sent=last_sent_at(dossier) is not None)


def action_body(form: Any, asks: tuple[str, ...]) -> dict[str, Any]:
    """The action's fields as typed; empty ones left out, for the API to name what is missing.

    `documents` are the boxes ticked (the codes of the documents a supplement asks for); none ticked, the
    reason alone says what is missing.
    """
    body: dict[str, Any] = {}
    for name in asks:
        if name == "additional_fee":
            body |= additional_fee(form)
            continue
        if name == "documents":
            ticked = [str(code) for code in form.getlist(name) if str(code).strip()]
            if ticked:
                body[name] = ticked
            continue
        value = str(form.get(name, "")).strip()
        if value:
            body[name] = value
    return body


def additional_fee(form: Any) -> dict[str, Any]:
    """An additional fee (khoản phí bổ sung) as typed: one item and the reason; nothing when none was typed,
    so that a first request asks for the procedure's own fee items."""
    name, amount, reason = (str(form.get(field, "")).strip() for field in ("fee_name", "fee_amount", "reason"))
    if not (name or amount or reason):
        return {}
    kind = "le_phi" if form.get("fee_kind") == "le_phi" else "phi"
    digits = amount.replace(".", "").replace(",", "").replace(" ", "")
    item: dict[str, Any] = {"kind": kind, "name": name, "amount_vnd": int(digits) if digits.isdigit() else amount}
    return {"items": [item], **({"reason": reason} if reason else {})}


def _document(upload: Any) -> dict[str, Any] | None:
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None  # a result may be issued without a file (collected on paper)
    return {"document": (upload.filename, upload.file, upload.content_type or "application/octet-stream")}

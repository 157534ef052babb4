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
from services.gateway.portal.api.documents import checked_code, checked_file_id, slip_path, stream_file
from services.gateway.portal.dependencies import ApiDep, CatalogsDep, StaffVisitor, checked_id
from services.gateway.portal.documents import document_names, document_rows, last_sent_at
from services.gateway.portal.formatting import titled
from services.gateway.portal.pages import go, render
from services.gateway.portal.problems import Problem, explain, problem
from services.gateway.portal.session import check_csrf
from services.gateway.portal.staff_actions import BY_NAME, DEADLINE_TABS, WORK_STATUSES, ActionForm, open_actions

router = APIRouter(include_in_schema=False)


@router.get("/can-bo")
async def work_list(request: Request, api: ApiDep, catalogs: CatalogsDep, _visitor: StaffVisitor) -> Response:
    wanted = request.query_params.get("trang-thai", WORK_STATUSES[0])
    deadline = DEADLINE_TABS.get(wanted)
    status = wanted if deadline or wanted in WORK_STATUSES else WORK_STATUSES[0]
    keyword = request.query_params.get("tu-khoa", "").strip()[:200]
    # A deadline tab lists every status's dossiers at risk, what falls due first at the top.
    wanted_filter = {deadline[0]: "true"} if deadline else {"status": status}
    counts, found = await asyncio.gather(
        api.get("/v1/staff/status-counts"),
        api.get("/v1/staff/dossiers", {**wanted_filter, "q": keyword, "page_size": 50}))
    tabs: list[tuple[str, str, int]] = [(code, catalogs.status_label(code), counts.get(code, 0))
                                        for code in WORK_STATUSES]
    tabs += [(tab, label, counts.get(key, 0)) for tab, (key, label) in DEADLINE_TABS.items()]
    label = deadline[1] if deadline else catalogs.status_label(status)
    return render(request, "staff_list.html", title="Hồ sơ cần xử lý", tabs=tabs, current=status,
                  status_label=label, deadline=deadline[0] if deadline else None, keyword=keyword, found=found)


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


@router.get("/can-bo/ho-so/{dossier_id}/phieu/{kind}")
async def download_slip(dossier_id: str, kind: str, request: Request, api: ApiDep, catalogs: CatalogsDep,
                        _visitor: StaffVisitor) -> Response:
    """One of the dossier's slips, the signed PDF as issued."""
    try:
        return await stream_file(api, slip_path(f"/v1/staff/dossiers/{checked_id(dossier_id)}", kind, request))
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
    if chosen.asks_first is not None and form.get("confirmed") != "1":
        return await _ask_first(request, api, catalogs, dossier_id, chosen, action_body(form, chosen.asks))
    path = f"/v1/staff/dossiers/{checked_id(dossier_id)}/{action}"
    try:
        if action == "issue-result":
            await api.call("POST", path, data={"summary": str(form.get("summary", "")).strip()},
                           files=_document(form.get("document")))
        else:
            await api.call("POST", path, json=action_body(form, chosen.asks) or None)
    except ApiError as error:
        return await _show(request, api, catalogs, dossier_id, refused=error, refused_by=action)
    return go(request, f"/can-bo/ho-so/{dossier_id}", f"staff:{action}")


async def _ask_first(request: Request, api: PortalApi, catalogs: Catalogs, dossier_id: str, chosen: ActionForm,
                     body: dict[str, Any]) -> Response:
    """The confirmation without scripts: the question, what was typed, and the same form, confirmed.

    A reason left out is said under the form's own field first: there is nothing to confirm yet.
    """
    if "reason" in chosen.asks and "reason" not in body:
        missing = problem("Vui lòng kiểm tra lại các thông tin được đánh dấu dưới đây.",
                          reason="Vui lòng nhập lý do.")
        return await _show(request, api, catalogs, dossier_id, trouble=missing, refused_by=chosen.name, status=422)
    dossier = await api.get(f"/v1/staff/dossiers/{checked_id(dossier_id)}")
    if chosen not in open_actions(dossier["status"]):
        return await _show(request, api, catalogs, dossier_id, status=409, trouble=problem(
            f"Thao tác này không còn thực hiện được (hồ sơ đang ở trạng thái “{dossier['status_label']}”)."))
    assert chosen.asks_first is not None
    return render(request, "confirm.html", confirm_form="_staff_confirm.html", title=chosen.asks_first.title,
                  dossier=dossier, action=chosen,
                  confirmation=chosen.asks_first, body=body)


# The API names an additional fee's parts as its first item's; the page has one line of fields for it.
FEE_FIELDS = {"items": "fee_name", "items.0": "fee_name", "items.0.name": "fee_name",
              "items.0.amount_vnd": "fee_amount", "items.0.kind": "fee_name"}


async def _show(request: Request, api: PortalApi, catalogs: Catalogs, dossier_id: str, *,
                refused: ApiError | None = None, trouble: Problem | None = None, status: int = 200,
                refused_by: str | None = None) -> Response:
    """The staff page; `refused_by` is the action whose form the problem's fields are marked under (several
    forms have a field of the same name, and only the one sent is wrong)."""
    dossier = await api.get(f"/v1/staff/dossiers/{checked_id(dossier_id)}")
    if refused is not None:
        trouble, status = explain(refused, status_label=dossier["status_label"]), refused.status
        if refused_by == "request-payment":
            trouble = trouble.renamed(FEE_FIELDS)
    procedure = catalogs.procedure(dossier["procedure_code"])
    documents = document_rows(procedure, dossier)
    return render(request, "staff_dossier.html", status=status, title=titled(dossier["title"]), dossier=dossier,
                  actions=open_actions(dossier["status"]), procedure=procedure,
                  field_labels=catalogs.field_labels(dossier["procedure_code"]), catalogs=catalogs,
                  problem=trouble, documents=documents, document_names=document_names(documents),
                  files_base=f"/can-bo/ho-so/{dossier['id']}/tai-lieu", was_sent=last_sent_at(dossier) is not None,
                  problem_for=refused_by)


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

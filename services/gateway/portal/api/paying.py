"""Paying fees (thanh toán phí, lệ phí) and receiving the result (nhận kết quả) of a dossier.

Paying online sends the browser to the provider's checkout (the sandbox's, in the embedded run); the
provider's way back ends on "/", which brings the person back to the dossier they were paying.
"""

from fastapi import APIRouter, Request, Response

from services.gateway.portal.adapters.public_api import ApiError
from services.gateway.portal.api.dossiers import show_dossier
from services.gateway.portal.dependencies import ApiDep, CatalogsDep, CitizenVisitor, checked_id
from services.gateway.portal.labels import DELIVERY_METHODS, PAYMENT_METHODS
from services.gateway.portal.pages import go
from services.gateway.portal.problems import problem
from services.gateway.portal.session import check_csrf, remember_paying

router = APIRouter(include_in_schema=False)


@router.post("/ho-so/{dossier_id}/thanh-toan")
async def pay(dossier_id: str, request: Request, api: ApiDep, catalogs: CatalogsDep,
              _visitor: CitizenVisitor) -> Response:
    form = await request.form()
    check_csrf(request, form)
    method = form.get("method")
    if method not in PAYMENT_METHODS:
        return await show_dossier(request, api, catalogs, dossier_id, status=422, trouble=problem(
            "Vui lòng chọn hình thức thanh toán.", method="Chưa chọn hình thức thanh toán."))
    try:
        paying = await api.call("POST", f"/v1/dossiers/{checked_id(dossier_id)}/payments", json={"method": method})
    except ApiError as error:
        return await show_dossier(request, api, catalogs, dossier_id, refused=error)
    if paying.get("checkout_url"):
        response = go(request, paying["checkout_url"])
        remember_paying(request, response, dossier_id)
        return response
    return go(request, f"/ho-so/{dossier_id}", "pay_in_person")


@router.post("/ho-so/{dossier_id}/nhan-ket-qua")
async def choose_delivery(dossier_id: str, request: Request, api: ApiDep, catalogs: CatalogsDep,
                          _visitor: CitizenVisitor) -> Response:
    form = await request.form()
    check_csrf(request, form)
    method = form.get("method")
    address = str(form.get("postal_address", "")).strip()
    trouble = None
    if method not in DELIVERY_METHODS:
        trouble = problem("Vui lòng chọn hình thức nhận kết quả.", method="Chưa chọn hình thức nhận kết quả.")
    elif method == "postal" and len(address) < 5:
        trouble = problem("Vui lòng nhập địa chỉ nhận kết quả qua bưu chính.",
                          postal_address="Vui lòng nhập địa chỉ đầy đủ (số nhà, đường, phường/xã, tỉnh/thành).")
    if trouble:
        return await show_dossier(request, api, catalogs, dossier_id, status=422, trouble=trouble)
    body = {"method": method, **({"postal_address": address} if method == "postal" else {})}
    try:
        await api.call("PUT", f"/v1/dossiers/{checked_id(dossier_id)}/result-delivery", json=body)
    except ApiError as error:
        return await show_dossier(request, api, catalogs, dossier_id, refused=error)
    return go(request, f"/ho-so/{dossier_id}", "delivery")


@router.get("/ho-so/{dossier_id}/ket-qua")
async def download_result(dossier_id: str, request: Request, api: ApiDep, catalogs: CatalogsDep,
                          _visitor: CitizenVisitor) -> Response:
    """The result document, as an attachment; the first download returns the result (đã trả kết quả)."""
    try:
        document = await api.send("GET", f"/v1/dossiers/{checked_id(dossier_id)}/result")
    except ApiError as error:
        return await show_dossier(request, api, catalogs, dossier_id, refused=error)
    return Response(document.content, media_type=document.headers.get("content-type", "application/octet-stream"),
                    headers={"Content-Disposition": document.headers.get("content-disposition", "attachment"),
                             "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})

"""Paying fees (thanh toán phí, lệ phí) and receiving the result (nhận kết quả) of a dossier.

Paying online sends the browser to the provider's checkout (the sandbox's, in the embedded run); the
provider's way back (`/v1/payments/return/{provider}`) goes on to `/thanh-toan/ket-qua/{provider}`, which
reads the verified outcome and brings the person back to the dossier's detail with it as a notice.
"""

import re

from fastapi import APIRouter, Request, Response

from services.gateway.portal.adapters.public_api import ApiError
from services.gateway.portal.api.dossiers import show_dossier
from services.gateway.portal.dependencies import ApiDep, CatalogsDep, CitizenVisitor, PageNotFound, checked_id
from services.gateway.portal.labels import DELIVERY_METHODS, PAYMENT_METHODS
from services.gateway.portal.pages import go
from services.gateway.portal.problems import problem
from services.gateway.portal.session import PAYING_COOKIE, check_csrf, remember_paying

router = APIRouter(include_in_schema=False)

_PROVIDER = re.compile(r"^[a-z0-9_-]{1,32}$")
# The payment's state as payment settled it, as the notice the detail shows; anything else is unconfirmed.
_OUTCOME_NOTICES = {"paid": "payment_paid", "cancelled": "payment_cancelled", "failed": "payment_failed",
                    "pending": "payment_pending"}


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


@router.get("/thanh-toan/ket-qua/{provider}")
async def back_from_provider(provider: str, request: Request, api: ApiDep) -> Response:
    """Back from the provider's checkout: on to the dossier paid for, saying how the payment ended.

    The outcome is payment's, read from the signed parameters it checks again (never the parameters' own
    word); a way back it cannot verify still brings the person to the dossier they were paying, if known.
    """
    if not _PROVIDER.match(provider):
        raise PageNotFound()
    # The signed parameters go on exactly as they came (an empty value is signed too).
    query = f"?{request.url.query}" if request.url.query else ""
    try:
        view = (await api.send("GET", f"/v1/payments/return/{provider}{query}",
                               headers={"Accept": "application/json"})).json()
    except ApiError:
        view = {"verified": False}
    paying = request.cookies.get(PAYING_COOKIE)
    dossier_id = view.get("dossier_id") if view.get("verified") else paying
    notice = _OUTCOME_NOTICES.get(view.get("state") or "") if view.get("verified") else None
    # Signed out meanwhile, the detail asks to sign in first and comes back to it.
    response = go(request, f"/ho-so/{checked_id(dossier_id)}" if dossier_id else "/", notice or "payment_unverified")
    response.delete_cookie(PAYING_COOKIE, path="/")
    return response

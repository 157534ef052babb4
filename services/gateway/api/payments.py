"""Payment (thanh toán phí, lệ phí): the citizen pays, providers report, the sandbox's checkout, the way back.

Provider callbacks need no login: the provider's signature is the authentication, and payment checks it.
Their parameters are passed through as they came (query string, raw body), never logged.
"""

from typing import Annotated, Literal

import httpx
from fastapi import APIRouter, Path, Request, Response

from services.gateway.api.consistency import BEHIND, READ_MODEL_HEADER, mark_read_model, wait_until_reached
from services.gateway.api.dossiers import DossierId
from services.gateway.api.responses import PROVIDER, SANDBOX_PAGES, command
from services.gateway.dependencies import BackendsDep, CitizenDep, SettingsDep
from services.gateway.schemas import PaymentAnswer, PaymentChoice

router = APIRouter(prefix="/v1", tags=["thanh toán"])

ProviderName = Annotated[str, Path(pattern=r"^[a-z0-9_-]{1,32}$", description="sandbox, vnpay")]
Reference = Annotated[str, Path(pattern=r"^[A-Za-z0-9]{1,64}$", description="Mã giao dịch")]
DOSSIER_HEADER = "x-dossier-id"
VERSION_HEADER = "x-dossier-version"
STATUS_HEADER = "x-dossier-status"
# What a page, a redirect or a provider's reply from payment keeps on its way out.
PASSED_ON = ("content-type", "location", "content-security-policy", "x-content-type-options", "cache-control",
             "referrer-policy")


@router.post("/dossiers/{dossier_id}/payments", summary="Thanh toán phí, lệ phí hồ sơ", responses=command())
async def pay(dossier_id: DossierId, body: PaymentChoice, citizen: CitizenDep, backends: BackendsDep,
              settings: SettingsDep, request: Request, response: Response) -> PaymentAnswer:
    """Online answers `checkout_url`, where the citizen's browser goes to pay; at the office or by post, the
    choice waits for staff to confirm the money."""
    answer = await backends.payment.call("POST", f"/dossiers/{dossier_id}/payments", json={
        "owner_id": citizen.id, "method": body.method,
        "client_ip": request.client.host if request.client else "127.0.0.1"})
    reached = await wait_until_reached(backends, settings, dossier_id, answer["version"])
    mark_read_model(response, answer["version"], reached)
    return PaymentAnswer.model_validate(answer)


@router.get("/payments/callbacks/{provider}", summary="Kết quả thanh toán từ cổng thanh toán (IPN)", responses=PROVIDER)
async def provider_report_by_query(provider: ProviderName, request: Request, backends: BackendsDep) -> Response:
    return _passed_on(await backends.payment.pass_through(
        "GET", f"/callbacks/{provider}", params=list(request.query_params.multi_items())))


@router.post("/payments/callbacks/{provider}", summary="Kết quả thanh toán từ cổng thanh toán", responses=PROVIDER)
async def provider_report(provider: ProviderName, request: Request, backends: BackendsDep) -> Response:
    return _passed_on(await backends.payment.pass_through(
        "POST", f"/callbacks/{provider}", params=list(request.query_params.multi_items()),
        content=await request.body(), content_type=request.headers.get("content-type")))


@router.get("/payments/return/{provider}", summary="Trang kết quả sau khi thanh toán", response_class=Response,
            responses={303: {"description": "Sang trang của Cổng"}, **PROVIDER})
async def way_back(provider: ProviderName, request: Request, backends: BackendsDep, settings: SettingsDep) -> Response:
    """The browser's way back from the provider. A browser goes on to the portal's page for it
    (`PAYMENT_RETURN_PAGE`), which shows the outcome on the dossier; asked for JSON (a frontend reading the
    verified outcome: `verified`, `state`, `dossier_id`, `receipt_number`…), or with no portal page
    configured, payment's answer as it is."""
    params = list(request.query_params.multi_items())
    wants_json = "application/json" in request.headers.get("accept", "")
    if settings.payment_return_page and not wants_json:
        # The signed parameters go on untouched: the portal's page asks again, as JSON, and payment checks them.
        query = f"?{request.url.query}" if request.url.query else ""
        return Response(status_code=303, headers={"Location": f"{settings.payment_return_page}/{provider}{query}",
                                                  "Cache-Control": "no-store"})
    return _passed_on(await backends.payment.pass_through(
        "GET", f"/returns/{provider}", params=params, accept="application/json" if wants_json else None))


@router.get("/payments/sandbox/checkout/{reference}", summary="Trang thanh toán thử nghiệm", response_class=Response,
            responses=SANDBOX_PAGES)
async def sandbox_checkout(reference: Reference, backends: BackendsDep) -> Response:
    return _passed_on(await backends.payment.pass_through("GET", f"/sandbox/checkout/{reference}"))


@router.post("/payments/sandbox/checkout/{reference}/{button}", summary="Nút Thanh toán / Huỷ của trang thử nghiệm",
             response_class=Response, responses=SANDBOX_PAGES)
async def sandbox_button(reference: Reference, button: Literal["pay", "cancel"], backends: BackendsDep,
                         settings: SettingsDep) -> Response:
    pressed = await backends.payment.pass_through("POST", f"/sandbox/checkout/{reference}/{button}")
    dossier_id, version = pressed.headers.get(DOSSIER_HEADER), pressed.headers.get(VERSION_HEADER)
    passed_on = _passed_on(pressed)
    if dossier_id and version and version.isdigit():
        # The browser lands on the portal next: it shows the payment, and once paid processing acts on it.
        also = ("processing",) if pressed.headers.get(STATUS_HEADER) == "paid" else ()
        if not await wait_until_reached(backends, settings, dossier_id, int(version), ("query", *also)):
            passed_on.headers[READ_MODEL_HEADER] = BEHIND
    return passed_on


def _passed_on(upstream: httpx.Response) -> Response:
    """Payment's answer as it is: its status, body and the headers a browser or a provider needs."""
    headers = {name: upstream.headers[name] for name in PASSED_ON if name in upstream.headers}
    return Response(upstream.content, status_code=upstream.status_code, headers=headers)

"""The sandbox provider's checkout page and its two buttons (the embedded run's stand-in for a bank)."""

from fastapi import APIRouter, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from services.payment.api.pages import SECURITY_HEADERS, checkout_page, not_found_page
from services.payment.dependencies import Payments
from services.payment.domain.reports import Outcome
from services.payment.errors import UnknownPayment, UnknownProvider
from services.payment.handlers.sandbox_checkout import checkout_view, press

DOSSIER_HEADER = "X-Dossier-Id"
VERSION_HEADER = "X-Dossier-Version"
STATUS_HEADER = "X-Dossier-Status"


def sandbox_router(payments: Payments) -> APIRouter:
    router = APIRouter(prefix="/sandbox/checkout/{reference}", tags=["sandbox"])

    @router.get("", response_class=HTMLResponse)
    async def checkout(reference: str) -> HTMLResponse:
        try:
            view = await checkout_view(payments, reference)
        except (UnknownPayment, UnknownProvider):
            return HTMLResponse(not_found_page(), status_code=404, headers=SECURITY_HEADERS)
        return HTMLResponse(checkout_page(view), headers=SECURITY_HEADERS)

    @router.post("/pay")
    async def pay(reference: str) -> Response:
        return await _pressed(reference, "paid")

    @router.post("/cancel")
    async def cancel(reference: str) -> Response:
        return await _pressed(reference, "cancelled")

    async def _pressed(reference: str, outcome: Outcome) -> Response:
        try:
            pressed = await press(payments, reference, outcome)
        except (UnknownPayment, UnknownProvider):
            return HTMLResponse(not_found_page(), status_code=404, headers=SECURITY_HEADERS)
        headers = {**SECURITY_HEADERS}
        if pressed.dossier_id is not None and pressed.version is not None and pressed.status is not None:
            # The gateway waits for the read model (and processing, once paid) to hold it before redirecting.
            headers |= {DOSSIER_HEADER: pressed.dossier_id, VERSION_HEADER: str(pressed.version),
                        STATUS_HEADER: pressed.status}
        return RedirectResponse(pressed.redirect_to, status_code=303, headers=headers)

    return router

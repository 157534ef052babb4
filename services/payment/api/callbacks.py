"""Provider callbacks (`/callbacks/{provider}`: VNPay's IPN is a GET, others POST) and the browser's way back
from a provider (`/returns/{provider}`). No authentication: the provider's signature is the authentication."""

from collections.abc import Mapping
from dataclasses import asdict

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from services.payment.api.pages import SECURITY_HEADERS, return_page
from services.payment.dependencies import Payments
from services.payment.handlers.provider_callbacks import ReturnView, read_return, receive_report

MAX_PARAMETERS = 64
MAX_NAME_LENGTH = 64
MAX_VALUE_LENGTH = 2048
FORM = "application/x-www-form-urlencoded"


def callbacks_router(payments: Payments) -> APIRouter:
    router = APIRouter(tags=["providers"])

    @router.get("/callbacks/{provider}")
    async def report_by_query(provider: str, request: Request) -> JSONResponse:
        return await _answer(provider, await read_parameters(request))

    @router.post("/callbacks/{provider}")
    async def report_by_body(provider: str, request: Request) -> JSONResponse:
        return await _answer(provider, await read_parameters(request))

    async def _answer(provider: str, params: Mapping[str, str] | None) -> JSONResponse:
        reply = await receive_report(payments, provider, params)
        return JSONResponse(reply.body, status_code=reply.status_code)

    @router.get("/returns/{provider}", response_class=HTMLResponse)
    async def way_back(provider: str, request: Request) -> Response:
        """Payment's own small page; JSON for a frontend that shows the outcome on a page of its own (the
        portal, on the dossier's detail)."""
        params = await read_parameters(request)
        view = await read_return(payments, provider, params) if params is not None else ReturnView(verified=False)
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse(asdict(view), headers={"Cache-Control": "no-store"})
        return HTMLResponse(return_page(view), headers=SECURITY_HEADERS)

    return router


async def read_parameters(request: Request) -> dict[str, str] | None:
    """The query's parameters and a form's or JSON object's fields, as text; None when they cannot be one
    provider's report (a name given twice, too many, too long, a body that is neither)."""
    pairs: list[tuple[str, object]] = list(request.query_params.multi_items())
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.method == "POST" and content_type == FORM:
        pairs += list((await request.form()).multi_items())
    elif request.method == "POST" and content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            return None
        if not isinstance(body, dict):
            return None
        pairs += list(body.items())
    elif request.method == "POST" and await request.body():
        return None
    params = {name: value if isinstance(value, str) else str(value) for name, value in pairs
              if isinstance(value, str | int)}
    if len(params) != len(pairs) or len(params) > MAX_PARAMETERS or any(
            len(name) > MAX_NAME_LENGTH or len(value) > MAX_VALUE_LENGTH for name, value in params.items()):
        return None
    return params

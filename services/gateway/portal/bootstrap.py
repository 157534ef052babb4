"""Wire the portal into the gateway app: its pages (`api/`), its static files and its error pages."""

import inspect
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.gateway.portal.adapters.public_api import ApiError, SignInRequired
from services.gateway.portal.api import (
    actions,
    documents,
    dossiers,
    home,
    paying,
    public,
    rating,
    signing_in,
    staff,
    statistics,
)
from services.gateway.portal.api.signing_in import without_session
from services.gateway.portal.dependencies import PageNotFound, StaffOnly, WrongDoor
from services.gateway.portal.pages import go, render
from services.gateway.portal.problems import explain
from services.gateway.portal.session import SESSION_COOKIE, CsrfRefused, provider_session, visitor_of

STATIC = Path(__file__).parent / "static"


def mount_portal(app: FastAPI) -> None:
    """Add the portal's pages, its static files and its error pages to the gateway app."""
    app.mount("/static", StaticFiles(directory=STATIC), name="portal-static")
    for module in (home, dossiers, documents, actions, paying, rating, statistics, public, signing_in, staff):
        app.include_router(module.router)
    app.add_exception_handler(SignInRequired, _sign_in_first)
    app.add_exception_handler(WrongDoor, _to_own_home)
    app.add_exception_handler(StaffOnly, _staff_only)
    app.add_exception_handler(CsrfRefused, _csrf_refused)
    app.add_exception_handler(ApiError, _api_refused)
    app.add_exception_handler(PageNotFound, _not_found)
    api_handler = app.exception_handlers[StarletteHTTPException]

    async def http_error(request: Request, exc: Exception) -> Any:
        # A person's browser gets a page; API clients keep the API's JSON errors.
        assert isinstance(exc, StarletteHTTPException)
        if _wants_page(request) and exc.status_code in (404, 405):
            return await _not_found(request, exc)
        answer = api_handler(request, exc)
        return await answer if inspect.isawaitable(answer) else answer

    app.add_exception_handler(StarletteHTTPException, http_error)


def _wants_page(request: Request) -> bool:
    return not request.url.path.startswith("/v1/") and "text/html" in request.headers.get("accept", "")


async def _sign_in_first(request: Request, _exc: Exception) -> Response:
    had_session = SESSION_COOKIE in request.cookies
    back = request.url.path if request.method == "GET" else "/"
    if provider_session(request) is not None:
        # Signed in through a provider whose session may be renewed (its refresh token): try that first.
        return go(request, f"/dang-nhap/gia-han?tiep={back}")
    if had_session:
        return without_session(request, f"/dang-nhap?tiep={back}", "expired")
    return go(request, f"/dang-nhap?tiep={back}")


async def _to_own_home(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, WrongDoor)
    return go(request, exc.home)


async def _staff_only(request: Request, _exc: Exception) -> Response:
    return render(request, "error.html", status=403, title="Trang dành cho cán bộ",
                  message="Trang này chỉ dành cho cán bộ tiếp nhận và trả kết quả. Tài khoản người dân của bạn "
                          "không có quyền xem trang này.")


async def _csrf_refused(request: Request, _exc: Exception) -> Response:
    return render(request, "error.html", status=403, title="Biểu mẫu đã hết hạn",
                  message="Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thực hiện lại.")


async def _api_refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    title = "Không tìm thấy" if exc.status == 404 else "Không thực hiện được"
    return render(request, "error.html", status=exc.status, title=title, message=explain(exc).message)


async def _not_found(request: Request, _exc: Exception) -> Response:
    visitor_of(request)
    return render(request, "error.html", status=404, title="Không tìm thấy trang",
                  message="Không tìm thấy trang bạn yêu cầu. Vui lòng kiểm tra lại địa chỉ.")

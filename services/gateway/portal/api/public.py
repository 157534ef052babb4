"""Pages without an account: the public lookup by dossier code (tra cứu), and the favicon.

Signing in and out is `signing_in.py`'s.
"""

import re

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from services.gateway.portal.adapters.public_api import ApiError
from services.gateway.portal.dependencies import ApiDep, CatalogsDep
from services.gateway.portal.pages import render
from services.gateway.portal.problems import explain, problem

router = APIRouter(include_in_schema=False)

_LOOKUP_CODE = re.compile(r"^[A-Za-z0-9.\-]{3,64}$")
ROLES = {"citizen": "Người dân", "staff": "Cán bộ tiếp nhận"}


@router.get("/tra-cuu")
async def lookup(request: Request, api: ApiDep, catalogs: CatalogsDep) -> Response:
    code = request.query_params.get("ma", "").strip()
    found, trouble, status = None, None, 200
    if not code and "ma" in request.query_params:
        # "Tra cứu" pressed with nothing typed.
        trouble, status = problem("Vui lòng nhập mã hồ sơ cần tra cứu.", code="Chưa nhập mã hồ sơ."), 422
    elif code and not _LOOKUP_CODE.match(code):
        trouble, status = problem("Mã hồ sơ không đúng định dạng.", code="Mã hồ sơ gồm chữ, số, dấu chấm và "
                                  "dấu gạch ngang, ví dụ 000.00.17.H00-261126-0001."), 422
    elif code:
        try:
            found = await api.get(f"/v1/lookup/{code}")
        except ApiError as error:
            status = error.status
            trouble = (problem(f"Không tìm thấy hồ sơ có mã “{code}”. Vui lòng kiểm tra lại mã hồ sơ.")
                       if error.status == 404 else explain(error))
    return render(request, "lookup.html", status=status, title="Tra cứu hồ sơ", code=code, found=found,
                  catalogs=catalogs, problem=trouble)


@router.get("/favicon.ico")
async def favicon() -> Response:
    """Browsers and bookmarks ask for /favicon.ico whatever the page links: the same icon, never a 404."""
    return RedirectResponse("/static/favicon.svg", status_code=301)

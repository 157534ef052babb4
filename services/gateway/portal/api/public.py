"""Pages without an account: the public lookup by dossier code (tra cứu), and signing in and out.

Signing in here exists only where development tokens are on (the embedded run): choose a citizen or a
staff account, give a name and an email, and the portal asks POST /v1/dev/token for the token.
"""

import re

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from services.gateway.dependencies import gateway_of
from services.gateway.portal.adapters.public_api import ApiError
from services.gateway.portal.dependencies import ApiDep, CatalogsDep
from services.gateway.portal.pages import go, render
from services.gateway.portal.problems import Problem, explain, problem
from services.gateway.portal.session import check_csrf, end_session, start_session, visitor_of

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


@router.get("/dang-nhap")
async def sign_in_page(request: Request) -> Response:
    return _sign_in_form(request, {"role": "citizen", "name": "", "email": ""})


@router.post("/dang-nhap")
async def sign_in(request: Request, api: ApiDep) -> Response:
    form = await request.form()
    check_csrf(request, form)
    if not _dev_tokens(request):
        return _sign_in_form(request, {}, status=404)
    entered = {name: str(form.get(name, "")).strip() for name in ("role", "name", "email")}
    wrong = {}
    if entered["role"] not in ROLES:
        wrong["role"] = "Vui lòng chọn loại tài khoản."
    if not entered["name"]:
        wrong["name"] = "Vui lòng nhập họ và tên."
    if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", entered["email"]):
        wrong["email"] = "Vui lòng nhập địa chỉ thư điện tử hợp lệ, ví dụ ten@example.vn."
    if wrong:
        return _sign_in_form(request, entered, Problem("Vui lòng kiểm tra lại thông tin đăng nhập.", wrong), 422)
    try:
        # The account is the email: signing in again with it finds the same dossiers.
        issued = await api.call("POST", "/v1/dev/token", json={
            "sub": entered["email"].lower(), "name": entered["name"], "email": entered["email"],
            "roles": [entered["role"]]})
    except ApiError as error:
        return _sign_in_form(request, entered, explain(error), error.status)
    home = "/can-bo" if entered["role"] == "staff" else "/"
    response = go(request, _safe_next(request.query_params.get("tiep")) or home, "signed_in")
    start_session(request, response, issued["access_token"], issued["expires_in"])
    return response


@router.post("/dang-xuat")
async def sign_out(request: Request) -> Response:
    check_csrf(request, await request.form())
    response = go(request, "/dang-nhap", "signed_out")
    end_session(response)
    return response


def _sign_in_form(request: Request, entered: dict[str, str], trouble: Problem | None = None,
                  status: int = 200) -> Response:
    visitor_of(request)
    return render(request, "sign_in.html", status=status, title="Đăng nhập", entered=entered, roles=ROLES,
                  available=_dev_tokens(request), problem=trouble,
                  next=_safe_next(request.query_params.get("tiep")))


def _dev_tokens(request: Request) -> bool:
    return gateway_of(request).settings.dev_tokens


def _safe_next(wanted: str | None) -> str | None:
    """Only a path on this site: never somewhere else (`//host`, `/\\host`) after signing in."""
    if wanted and wanted.startswith("/") and not wanted.startswith(("//", "/\\")) and wanted != "/dang-nhap":
        return wanted
    return None

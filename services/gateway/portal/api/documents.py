"""The citizen's files of a dossier's documents (thành phần hồ sơ): attach (tải lên), remove (gỡ), download.

Each document's row on the form page has its own upload form (forms cannot nest in the content form), which
posts here; the files are passed on to the API one by one as they came, and the browser goes back to the row
(post/redirect/get) or, refused, sees the form page again with the API's message under that row.
"""

import re
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask
from starlette.datastructures import UploadFile

from services.gateway.portal.adapters.catalogs import Catalogs
from services.gateway.portal.adapters.public_api import ApiError, PortalApi
from services.gateway.portal.api.dossiers import FORM_PAGES, show_dossier, show_form
from services.gateway.portal.dependencies import ApiDep, CatalogsDep, CitizenVisitor, PageNotFound, checked_id
from services.gateway.portal.documents import DOCUMENT_CODE, FILE_ID
from services.gateway.portal.pages import go
from services.gateway.portal.problems import Problem
from services.gateway.portal.session import check_csrf
from shared.slips import SLIP_KIND_PATTERN

router = APIRouter(include_in_schema=False)

# The file input's name in each row's upload form.
FILE_FIELD = "tep"
# What a download passes on from the API, besides the headers every file answer gets here.
PASSED_ON = ("content-type", "content-length", "content-disposition")
# A stored file is the citizen's own bytes: never sniffed, kept, or run as a page should it be opened inline.
FILE_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store",
                "Content-Security-Policy": "default-src 'none'; sandbox"}


SLIP_KIND = re.compile(SLIP_KIND_PATTERN)
SLIP_ID = re.compile(r"^[A-Za-z0-9._-]{1,200}$")


def checked_code(code: str) -> str:
    if not DOCUMENT_CODE.match(code) or len(code) > 64:
        raise PageNotFound()
    return code


def checked_file_id(file_id: str) -> str:
    if not FILE_ID.match(file_id):
        raise PageNotFound()
    return file_id


@router.post("/ho-so/{dossier_id}/tai-lieu/{code}")
async def attach(dossier_id: str, code: str, request: Request, api: ApiDep, catalogs: CatalogsDep,
                 _visitor: CitizenVisitor) -> Response:
    form = await request.form()
    check_csrf(request, form)
    path = f"/v1/dossiers/{checked_id(dossier_id)}/documents/{checked_code(code)}"
    # An input left empty still sends one part, without a name and without bytes.
    uploads = [item for item in form.getlist(FILE_FIELD) if isinstance(item, UploadFile) and item.filename]
    if not uploads:
        return await _refused_on_row(request, api, catalogs, dossier_id, code, 422,
                                     "Vui lòng chọn ít nhất một tệp trước khi bấm “Tải lên”.")
    attached = 0
    refusals: list[tuple[str, ApiError]] = []
    try:
        for upload in uploads:
            try:
                await api.call("POST", path, files={"file": (upload.filename, upload.file,
                                                             upload.content_type or "application/octet-stream")})
                attached += 1
            except ApiError as error:
                if error.status == 404:
                    raise  # no such dossier of theirs, or no such document: the error page
                refusals.append((upload.filename or "", error))
                if error.code == "dossier_not_editable":
                    break  # the same for every other file
    finally:
        await form.close()  # the spooled files, at once rather than whenever they are collected
    if refusals:
        said = [f"Tệp “{name}” không được nhận: {error.message}" for name, error in refusals]
        if attached:
            said.append(f"{attached} tệp khác đã được đính kèm.")
        return await _refused_on_row(request, api, catalogs, dossier_id, code, refusals[0][1].status, " ".join(said))
    return go(request, f"{_back(dossier_id, form)}#f-documents-{code}", f"attached:{attached}:{code}")


@router.post("/ho-so/{dossier_id}/tai-lieu/{code}/{file_id}/go")
async def remove(dossier_id: str, code: str, file_id: str, request: Request, api: ApiDep, catalogs: CatalogsDep,
                 _visitor: CitizenVisitor) -> Response:
    form = await request.form()
    check_csrf(request, form)
    try:
        await api.call("DELETE", f"/v1/dossiers/{checked_id(dossier_id)}/documents/{checked_code(code)}/"
                                 f"{checked_file_id(file_id)}")
    except ApiError as error:
        if error.status == 404 and error.code != "document_file_not_found":
            raise
        return await _refused_on_row(request, api, catalogs, dossier_id, code, error.status, error.message)
    return go(request, f"{_back(dossier_id, form)}#f-documents-{code}", f"removed:{code}")


@router.get("/ho-so/{dossier_id}/tai-lieu/{code}/{file_id}")
async def download(dossier_id: str, code: str, file_id: str, request: Request, api: ApiDep, catalogs: CatalogsDep,
                   _visitor: CitizenVisitor) -> Response:
    path = f"/v1/dossiers/{checked_id(dossier_id)}/documents/{checked_code(code)}/{checked_file_id(file_id)}"
    try:
        return await stream_file(api, path)
    except ApiError as error:
        return await show_dossier(request, api, catalogs, dossier_id, refused=error)


@router.get("/ho-so/{dossier_id}/phieu/{kind}")
async def download_slip(dossier_id: str, kind: str, request: Request, api: ApiDep, catalogs: CatalogsDep,
                        _visitor: CitizenVisitor) -> Response:
    """One of the dossier's slips (giấy tiếp nhận, phiếu…), the signed PDF as issued."""
    try:
        return await stream_file(api, slip_path(f"/v1/dossiers/{checked_id(dossier_id)}", kind, request))
    except ApiError as error:
        return await show_dossier(request, api, catalogs, dossier_id, refused=error)


def slip_path(dossier_path: str, kind: str, request: Request) -> str:
    """The API's address of a slip: a kind it knows, and an earlier slip's id when the link names one."""
    if not SLIP_KIND.match(kind):
        raise PageNotFound()
    path = f"{dossier_path}/slips/{kind}"
    slip_id = request.query_params.get("slip_id")
    if slip_id:
        if not SLIP_ID.match(slip_id):
            raise PageNotFound()
        path += f"?slip_id={slip_id}"
    return path


async def stream_file(api: PortalApi, path: str) -> StreamingResponse:
    """The API's download passed on as it is read, as an attachment; the citizen's and staff's alike."""
    answer = await api.open_stream(path)
    headers = {name: answer.headers[name] for name in PASSED_ON if name in answer.headers} | FILE_HEADERS
    return StreamingResponse(answer.aiter_bytes(), headers=headers, background=BackgroundTask(answer.aclose))


async def _refused_on_row(request: Request, api: PortalApi, catalogs: Catalogs, dossier_id: str, code: str,
                          status: int, message: str) -> Response:
    """The form page again, the refusal said at the top and under the document's row."""
    trouble = Problem("Không đính kèm hoặc gỡ được tệp. Vui lòng xem thông báo ở thành phần hồ sơ được đánh dấu.",
                      {f"documents.{code}": message})
    return await show_form(request, api, catalogs, dossier_id, trouble=trouble, status=status)


def _back(dossier_id: str, form: Any) -> str:
    """The form page the row was on (Sửa hồ sơ or Bổ sung hồ sơ): one of the two, whatever the form says."""
    page = form.get("ve")
    return f"/ho-so/{dossier_id}/{page if page in FORM_PAGES else FORM_PAGES[0]}"

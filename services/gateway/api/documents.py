"""The dossier's documents (thành phần hồ sơ): the citizen attaches, removes and downloads files; staff download.

The gateway checks who calls and passes the bytes through as they come, in both directions: intake owns the
files (it judges them, stores them and keeps their metadata), and neither the gateway nor intake ever holds a
whole file in memory. A citizen reaches only their own dossiers' files; staff only files that were sent.
"""

from collections.abc import AsyncIterator, Mapping
from typing import Annotated

from fastapi import APIRouter, File, Path, Response, UploadFile, status
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from services.gateway.api.consistency import mark_read_model, read_your_write, wait_until_reached
from services.gateway.api.dossiers import DossierId
from services.gateway.api.responses import SIGNED_IN, command
from services.gateway.dependencies import BackendsDep, CitizenDep, SettingsDep, StaffDep
from services.gateway.schemas import AttachedFileOut, CommandAnswer
from shared.blobs.content_types import BY_CONTENT_TYPE
from shared.blobs.port import CHUNK_BYTES
from shared.documents import DOCUMENT_CODE_PATTERN

router = APIRouter(prefix="/v1", tags=["thành phần hồ sơ"])

DocumentCode = Annotated[str, Path(max_length=64, pattern=DOCUMENT_CODE_PATTERN)]
FileId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
# What a download passes on from the service that keeps the file: its length and attachment name; the type,
# no sniffing and no caching are the gateway's to say, whatever the service sent (download_headers).
DOWNLOAD_HEADERS = ("content-length", "content-disposition")
DOWNLOAD = {200: {"content": {kind: {} for kind in ("application/pdf", "image/jpeg", "image/png",
                                                   "application/octet-stream")}}, **SIGNED_IN}


@router.post("/dossiers/{dossier_id}/documents/{code}", status_code=status.HTTP_201_CREATED,
             summary="Đính kèm tệp vào thành phần hồ sơ (multipart, trường `file`)", responses=command(201))
async def attach_file(dossier_id: DossierId, code: DocumentCode, citizen: CitizenDep, backends: BackendsDep,
                      settings: SettingsDep, response: Response,
                      file: Annotated[UploadFile, File(description="PDF, JPEG hoặc PNG")]) -> AttachedFileOut:
    answer = await backends.intake.send_stream(
        "POST", f"/dossiers/{dossier_id}/documents/{code}", chunks_of(file),
        params={"owner_id": citizen.id, "filename": file.filename},
        content_type=file.content_type or "application/octet-stream")
    reached = await wait_until_reached(backends, settings, dossier_id, answer["version"])
    mark_read_model(response, answer["version"], reached)
    return AttachedFileOut.model_validate(answer)


@router.delete("/dossiers/{dossier_id}/documents/{code}/{file_id}", summary="Gỡ tệp chưa gửi khỏi hồ sơ",
               responses=command())
async def remove_file(dossier_id: DossierId, code: DocumentCode, file_id: FileId, citizen: CitizenDep,
                      backends: BackendsDep, settings: SettingsDep, response: Response) -> CommandAnswer:
    answer = await backends.intake.call("DELETE", f"/dossiers/{dossier_id}/documents/{code}/{file_id}",
                                        params={"owner_id": citizen.id})
    return await read_your_write(backends, settings, answer, response)


@router.get("/dossiers/{dossier_id}/documents/{code}/{file_id}", summary="Tải tệp đính kèm của hồ sơ",
            response_class=StreamingResponse, responses=DOWNLOAD)
async def download_own_file(dossier_id: DossierId, code: DocumentCode, file_id: FileId, citizen: CitizenDep,
                            backends: BackendsDep) -> StreamingResponse:
    return await _download(backends, f"/dossiers/{dossier_id}/documents/{code}/{file_id}", {"owner_id": citizen.id})


@router.get("/staff/dossiers/{dossier_id}/documents/{code}/{file_id}", tags=["cán bộ tiếp nhận"],
            summary="Cán bộ tải tệp đính kèm đã nộp", response_class=StreamingResponse,
            responses=DOWNLOAD)
async def download_sent_file(dossier_id: DossierId, code: DocumentCode, file_id: FileId, _staff: StaffDep,
                             backends: BackendsDep) -> StreamingResponse:
    return await _download(backends, f"/dossiers/{dossier_id}/documents/{code}/{file_id}", {"for_staff": "true"})


async def chunks_of(file: UploadFile) -> AsyncIterator[bytes]:
    """The upload as it was received (spooled to disk past a megabyte), a chunk at a time."""
    while chunk := await file.read(CHUNK_BYTES):
        yield chunk


def download_headers(upstream: Mapping[str, str], *also: str) -> dict[str, str]:
    """A download's headers: always an attachment, never kept by a cache, never sniffed, and of a type the
    file's content was judged to be (PDF, JPEG, PNG); any other type is sent as bytes to save, not to open."""
    headers = {name: upstream[name] for name in (*DOWNLOAD_HEADERS, *also) if name in upstream}
    declared = upstream.get("content-type", "").partition(";")[0].strip().lower()
    headers["content-type"] = declared if declared in BY_CONTENT_TYPE else "application/octet-stream"
    if not headers.get("content-disposition", "").lower().startswith("attachment"):
        headers["content-disposition"] = "attachment"
    headers["x-content-type-options"] = "nosniff"
    headers["cache-control"] = "private, no-store"
    return headers


async def _download(backends: BackendsDep, path: str, params: dict[str, str]) -> StreamingResponse:
    upstream = await backends.intake.open_stream(path, params=params)
    headers = download_headers(upstream.headers)
    return StreamingResponse(upstream.aiter_bytes(CHUNK_BYTES), headers=headers,
                             background=BackgroundTask(upstream.aclose))

"""The result of a dossier (kết quả giải quyết): how the citizen receives it, and the online download."""

from fastapi import APIRouter, Response
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from services.gateway.api.consistency import BEHIND, READ_MODEL_HEADER, read_your_write, wait_until_reached
from services.gateway.api.documents import DOWNLOAD, download_headers
from services.gateway.api.dossiers import DossierId
from services.gateway.api.responses import command
from services.gateway.dependencies import BackendsDep, CitizenDep, SettingsDep
from services.gateway.schemas import CommandAnswer, ResultDelivery
from shared.blobs.port import CHUNK_BYTES

router = APIRouter(prefix="/v1", tags=["kết quả"])

VERSION_HEADER = "X-Dossier-Version"


@router.put("/dossiers/{dossier_id}/result-delivery", summary="Chọn hình thức nhận kết quả", responses=command())
async def choose_result_delivery(dossier_id: DossierId, body: ResultDelivery, citizen: CitizenDep,
                                 backends: BackendsDep, settings: SettingsDep, response: Response) -> CommandAnswer:
    answer = await backends.processing.call("PUT", f"/dossiers/{dossier_id}/result-delivery", json={
        "owner_id": citizen.id, **body.model_dump()})
    return await read_your_write(backends, settings, answer, response)


@router.get("/dossiers/{dossier_id}/result", summary="Tải kết quả giải quyết (nhận kết quả trực tuyến)",
            response_class=StreamingResponse, responses=DOWNLOAD)
async def download_result(dossier_id: DossierId, citizen: CitizenDep, backends: BackendsDep,
                          settings: SettingsDep) -> StreamingResponse:
    document = await backends.processing.open_stream(f"/dossiers/{dossier_id}/result",
                                                     params={"owner_id": citizen.id})
    # The first download returns the result (đã trả kết quả): let the next read show it.
    version = document.headers.get(VERSION_HEADER)
    headers = download_headers(document.headers, VERSION_HEADER.lower())
    if version and version.isdigit() and not await wait_until_reached(backends, settings, dossier_id, int(version)):
        headers[READ_MODEL_HEADER] = BEHIND
    return StreamingResponse(document.aiter_bytes(CHUNK_BYTES), headers=headers,
                             background=BackgroundTask(document.aclose))
